//! The clock check against SNTP servers run here on loopback: fast, slow,
//! silent, unreachable, and misbehaving. No test touches the internet.

use std::net::UdpSocket;
use std::time::Duration;

use twofold_core::clock::{self, ClockError};
use twofold_testkit::sntp::{serve as server, Reply};

const TIMEOUT: Duration = Duration::from_millis(800);

#[test]
fn a_fast_clock_is_measured_as_fast() {
    // The server is 47 s behind us: our clock is 47 s fast.
    let m = clock::measure(&server(Reply::Shifted(-47.0)), TIMEOUT).expect("measured");
    assert!((m.offset_seconds - 47.0).abs() < 0.5, "{m:?}");
    assert!(m.breaks_codes());
}

#[test]
fn a_slow_clock_is_measured_as_slow() {
    let m = clock::measure(&server(Reply::Shifted(30.0)), TIMEOUT).expect("measured");
    assert!((m.offset_seconds + 30.0).abs() < 0.5, "{m:?}");
    assert!(m.breaks_codes());
    let m = clock::measure(&server(Reply::Shifted(2.0)), TIMEOUT).expect("measured");
    assert!(!m.breaks_codes(), "2 s does not break codes: {m:?}");
}

#[test]
fn silence_and_nothing_listening_are_told_apart() {
    assert_eq!(clock::measure(&server(Reply::Silent), TIMEOUT), Err(ClockError::Timeout));
    // A port nobody listens on: the kernel refuses at once.
    let closed = UdpSocket::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").to_string();
    let err = clock::measure(&closed, TIMEOUT).expect_err("nothing there");
    assert!(matches!(err, ClockError::Unreachable(_) | ClockError::Timeout), "{err:?}");
}

#[test]
fn misbehaving_servers_are_refused() {
    assert_eq!(clock::measure(&server(Reply::Garbage), TIMEOUT), Err(ClockError::BadReply));
    assert_eq!(clock::measure(&server(Reply::WrongOrigin), TIMEOUT), Err(ClockError::BadReply));
    assert_eq!(clock::measure(&server(Reply::KissOfDeath), TIMEOUT), Err(ClockError::Refused));
}
