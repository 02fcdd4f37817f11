//! SNTP servers on 127.0.0.1 that answer as a test needs: a clock ahead or
//! behind, garbage, the wrong request echoed, a kiss-o'-death, or silence.
//! Timestamps are built here from RFC 4330, independently of Twofold's own
//! conversion, so a mistake there cannot cancel itself out.

use std::net::UdpSocket;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How the server answers.
#[derive(Debug, Clone, Copy)]
pub enum Reply {
    /// The correct time shifted by this many seconds (negative: behind).
    Shifted(f64),
    Garbage,
    WrongOrigin,
    KissOfDeath,
    Silent,
}

/// Seconds from 1900 (NTP's era) to 1970.
const NTP_UNIX_OFFSET: u64 = 2_208_988_800;

fn ntp_stamp(shift: f64) -> [u8; 8] {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970");
    let t = Duration::from_secs_f64((now.as_secs_f64() + shift).max(0.0));
    let seconds = (t.as_secs() + NTP_UNIX_OFFSET) as u32;
    let fraction = ((u64::from(t.subsec_nanos()) << 32) / 1_000_000_000) as u32;
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&seconds.to_be_bytes());
    out[4..].copy_from_slice(&fraction.to_be_bytes());
    out
}

/// Serves every request on a free loopback port, for as long as the test
/// runs, and returns "127.0.0.1:port".
pub fn serve(reply: Reply) -> String {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a loopback port");
    let address = socket.local_addr().expect("local address").to_string();
    std::thread::spawn(move || loop {
        let mut request = [0u8; 48];
        let Ok((_, peer)) = socket.recv_from(&mut request) else { return };
        let mut out = [0u8; 48];
        out[0] = 0b00_100_100; // version 4, mode 4 (server)
        out[1] = 2; // stratum
        out[24..32].copy_from_slice(&request[40..48]); // originate = client's transmit
        match reply {
            Reply::Shifted(shift) => {
                out[32..40].copy_from_slice(&ntp_stamp(shift));
                out[40..48].copy_from_slice(&ntp_stamp(shift));
            }
            Reply::Garbage => {
                let _ = socket.send_to(b"not ntp at all", peer);
                continue;
            }
            Reply::WrongOrigin => {
                out[24] ^= 0xff;
                out[32..40].copy_from_slice(&ntp_stamp(0.0));
                out[40..48].copy_from_slice(&ntp_stamp(0.0));
            }
            Reply::KissOfDeath => out[1] = 0,
            Reply::Silent => continue,
        }
        let _ = socket.send_to(&out, peer);
    });
    address
}
