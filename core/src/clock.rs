//! Checking the system clock against a time server (SNTP, RFC 4330): a
//! clock off by more than a few seconds makes every code wrong. Plain std
//! UDP, one request, a timeout; the caller decides when to run it (never on
//! start-up's critical path).

use std::net::{ToSocketAddrs, UdpSocket};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

pub const DEFAULT_SERVER: &str = "pool.ntp.org";

/// Public time services a person may pick with no question asked. Any other
/// name is asked about natively first: the page saves this setting, and a
/// name of its choosing would be looked up (and so told to a DNS server) at
/// every start.
pub const WELL_KNOWN_SERVERS: &[&str] = &[
    DEFAULT_SERVER,
    "time.cloudflare.com",
    "time.google.com",
    "time.apple.com",
    "time.windows.com",
    "time.nist.gov",
    "ntp.nict.jp",
];

/// The server a saved setting names: as typed, trimmed; empty means the default.
pub fn chosen_server(typed: &str) -> String {
    match typed.trim() {
        "" => DEFAULT_SERVER.to_owned(),
        server => server.to_owned(),
    }
}

/// Whether `server` (as [`chosen_server`] gives it) is one of
/// [`WELL_KNOWN_SERVERS`], on NTP's own port or none named.
pub fn is_well_known(server: &str) -> bool {
    let host = server.strip_suffix(":123").unwrap_or(server);
    WELL_KNOWN_SERVERS.iter().any(|known| known.eq_ignore_ascii_case(host))
}

/// Whether `server` is a time server the settings may name: a host name
/// (`time.example.org`, `:port` allowed), never an address. The page saves
/// this setting, and Rust queries it at every start: a compromised page
/// must not point it at an address of its choosing.
pub fn is_server_name(server: &str) -> bool {
    let (host, port) = match server.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (server, None),
    };
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    port_ok
        && host.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        // An address (1.2.3.4) is not a name; no top-level domain is all digits.
        && labels.last().is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}
const NTP_PORT: u16 = 123;
/// Seconds from 1900-01-01 (NTP's epoch) to 1970-01-01.
const NTP_UNIX_OFFSET: u64 = 2_208_988_800;
/// Offsets above this break codes for 30-second periods, so they are shown.
pub const WARN_AFTER_SECONDS: f64 = 15.0;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("the time server {0} could not be found")]
    UnknownServer(String),
    #[error("the time server could not be reached ({0})")]
    Unreachable(String),
    #[error("the time server did not answer in time")]
    Timeout,
    #[error("the time server sent an invalid reply")]
    BadReply,
    #[error("the time server refused to answer")]
    Refused,
    #[error("the clock is off by more than {} minutes; set the computer's clock instead", MAX_CORRECTION_SECONDS / 60.0)]
    TooFarToCorrect,
}

/// The largest error Twofold corrects by itself. The time server's answer
/// is not authenticated: one forged reply, accepted, must not move codes
/// far (to codes valid later, which a phishing page could collect). A clock
/// further off is the system's to set.
pub const MAX_CORRECTION_SECONDS: f64 = 300.0;

/// The correction (milliseconds subtracted from the clock) for a clock
/// measured `offset_seconds` fast, within [`MAX_CORRECTION_SECONDS`].
pub fn correction_ms(offset_seconds: f64) -> Result<i64, ClockError> {
    if !offset_seconds.is_finite() || offset_seconds.abs() > MAX_CORRECTION_SECONDS {
        return Err(ClockError::TooFarToCorrect);
    }
    Ok((offset_seconds * 1000.0).round() as i64)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    /// Seconds the local clock is ahead of the server (negative: behind).
    pub offset_seconds: f64,
    pub round_trip_ms: f64,
    pub server: String,
}

impl Measurement {
    pub fn breaks_codes(&self) -> bool {
        breaks_codes(self.offset_seconds)
    }
}

/// A clock off by more than [`WARN_AFTER_SECONDS`] makes codes fail.
pub fn breaks_codes(offset_seconds: f64) -> bool {
    offset_seconds.abs() > WARN_AFTER_SECONDS
}

/// Asks `server` (`host`, `host:port`, `[v6]:port`) for the time.
pub fn measure(server: &str, timeout: Duration) -> Result<Measurement, ClockError> {
    let with_port =
        if server.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok() && !server.ends_with(']')) {
            server.to_owned()
        } else {
            format!("{server}:{NTP_PORT}")
        };
    let address = with_port
        .to_socket_addrs()
        .map_err(|_| ClockError::UnknownServer(server.to_owned()))?
        .next()
        .ok_or_else(|| ClockError::UnknownServer(server.to_owned()))?;
    let bind = if address.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" };
    let socket = UdpSocket::bind(bind).map_err(|e| ClockError::Unreachable(e.to_string()))?;
    socket.set_read_timeout(Some(timeout)).map_err(|e| ClockError::Unreachable(e.to_string()))?;
    socket.connect(address).map_err(|e| ClockError::Unreachable(e.to_string()))?;

    let mut request = [0u8; 48];
    request[0] = 0b00_100_011; // leap 0, version 4, mode 3 (client)
    let sent = now_ntp();
    request[40..48].copy_from_slice(&sent.to_be_bytes());
    socket.send(&request).map_err(|e| ClockError::Unreachable(e.to_string()))?;

    let mut reply = [0u8; 68];
    let len = socket.recv(&mut reply).map_err(|e| match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => ClockError::Timeout,
        _ => ClockError::Unreachable(e.to_string()),
    })?;
    let received = now_ntp();
    parse_reply(&reply[..len], sent, received).map(|(offset, rtt)| Measurement {
        offset_seconds: offset,
        round_trip_ms: rtt * 1000.0,
        server: server.to_owned(),
    })
}

/// (local-minus-server offset, round trip), both in seconds.
fn parse_reply(reply: &[u8], sent: u64, received: u64) -> Result<(f64, f64), ClockError> {
    if reply.len() < 48 {
        return Err(ClockError::BadReply);
    }
    let mode = reply[0] & 0b111;
    let version = (reply[0] >> 3) & 0b111;
    if !(mode == 4 || mode == 5) || !(1..=4).contains(&version) {
        return Err(ClockError::BadReply);
    }
    if reply[1] == 0 {
        return Err(ClockError::Refused); // stratum 0: kiss-o'-death
    }
    let stamp = |at: usize| u64::from_be_bytes(reply[at..at + 8].try_into().expect("8 bytes"));
    // The server must echo our transmit time, or this is not our answer.
    if stamp(24) != sent {
        return Err(ClockError::BadReply);
    }
    let (t1, t2, t3, t4) = (seconds(sent), seconds(stamp(32)), seconds(stamp(40)), seconds(received));
    if stamp(40) == 0 {
        return Err(ClockError::BadReply);
    }
    let server_minus_local = ((t2 - t1) + (t3 - t4)) / 2.0;
    let round_trip = (t4 - t1) - (t3 - t2);
    Ok((-server_minus_local, round_trip.max(0.0)))
}

/// The current time as a 64-bit NTP timestamp.
pub fn now_ntp() -> u64 {
    to_ntp(SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default())
}

/// A Unix time (as a duration since 1970) as an NTP timestamp.
pub fn to_ntp(since_unix: Duration) -> u64 {
    let seconds = since_unix.as_secs() + NTP_UNIX_OFFSET;
    let fraction = (u64::from(since_unix.subsec_nanos()) << 32) / 1_000_000_000;
    (seconds << 32) | fraction
}

fn seconds(ntp: u64) -> f64 {
    (ntp >> 32) as f64 + (ntp & 0xffff_ffff) as f64 / 4_294_967_296.0
}

#[cfg(test)]
mod tests {
    use super::{correction_ms, is_server_name, ClockError};

    /// Issue 22 (F16): any measured offset was applied, so one forged
    /// answer ("an hour slow") and a click made the codes an hour ahead.
    #[test]
    fn issue_22_a_correction_is_bounded() {
        assert_eq!(correction_ms(-47.0), Ok(-47_000));
        assert_eq!(correction_ms(299.5), Ok(299_500));
        for far in [-3600.0, 301.0, f64::NAN, f64::INFINITY] {
            assert_eq!(correction_ms(far), Err(ClockError::TooFarToCorrect), "{far}");
        }
    }

    /// Issue 22 (F6): the page could name any server, so an address of its
    /// choosing was queried at every start. (A name is still resolved:
    /// `docs/security.md` says what that leaves.)
    #[test]
    fn issue_22_only_well_known_servers_go_unasked() {
        use super::{chosen_server, is_well_known};
        assert_eq!(chosen_server("  "), "pool.ntp.org");
        assert_eq!(chosen_server(" time.google.com "), "time.google.com");
        for known in ["pool.ntp.org", "Time.Cloudflare.com", "time.google.com:123", "ntp.nict.jp"] {
            assert!(is_well_known(known), "{known}");
        }
        for other in ["attacker.example", "time.google.com:124", "pool.ntp.org.attacker.example", "ntp.org"] {
            assert!(!is_well_known(other), "{other}");
        }
    }

    #[test]
    fn issue_22_the_time_server_is_a_host_name() {
        for good in ["pool.ntp.org", "time.cloudflare.com", "ntp.example.org:123", "a-b.example"] {
            assert!(is_server_name(good), "{good}");
        }
        for bad in [
            "127.0.0.1:9",
            "10.0.0.1",
            "[::1]:123",
            "::1",
            "localhost",
            "a..b",
            "-a.example",
            "time.example.org:0",
            "time.example.org:99999",
            "time example.org",
            "tíme.example.org",
            &format!("{}.example", "a".repeat(64)),
            &format!("{}.example", "a.".repeat(130)),
        ] {
            assert!(!is_server_name(bad), "{bad}");
        }
    }
}
