//! The clock check against SNTP servers run here on loopback: fast, slow,
//! silent, unreachable, and misbehaving. No test touches the internet.

use std::net::UdpSocket;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use twofold_core::clock::{self, ClockError};

/// How the fake server answers one request.
enum Reply {
    /// The correct time shifted by this many seconds.
    Shifted(f64),
    Garbage,
    WrongOrigin,
    KissOfDeath,
    Silent,
}

/// Serves one request on 127.0.0.1 and returns "127.0.0.1:port".
fn server(reply: Reply) -> String {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let address = socket.local_addr().expect("addr").to_string();
    std::thread::spawn(move || {
        let mut request = [0u8; 48];
        let Ok((_, peer)) = socket.recv_from(&mut request) else { return };
        let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970");
        let stamp = |shift: f64| {
            let shifted = Duration::from_secs_f64((now.as_secs_f64() + shift).max(0.0));
            clock::to_ntp(shifted).to_be_bytes()
        };
        let mut out = [0u8; 48];
        out[0] = 0b00_100_100; // version 4, mode 4 (server)
        out[1] = 2; // stratum
        out[24..32].copy_from_slice(&request[40..48]); // originate = client's transmit
        match reply {
            Reply::Shifted(shift) => {
                out[32..40].copy_from_slice(&stamp(shift));
                out[40..48].copy_from_slice(&stamp(shift));
            }
            Reply::Garbage => {
                let _ = socket.send_to(b"not ntp at all", peer);
                return;
            }
            Reply::WrongOrigin => {
                out[24] ^= 0xff;
                out[32..40].copy_from_slice(&stamp(0.0));
                out[40..48].copy_from_slice(&stamp(0.0));
            }
            Reply::KissOfDeath => out[1] = 0,
            Reply::Silent => {
                std::thread::sleep(Duration::from_secs(2));
                return;
            }
        }
        let _ = socket.send_to(&out, peer);
    });
    address
}

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
