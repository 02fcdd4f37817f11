//! Just enough HTTP/1.1 to drive a REST API on loopback (Syncthing's): one
//! request per connection (`Connection: close`), the response read to its
//! end. Every step has a timeout and the response a size limit, so a
//! stuck or babbling server fails the call instead of hanging the test.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// Generous: a server on a machine under load may be slow, but not this slow.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Far above anything a test asks for.
const MAX_RESPONSE: u64 = 16 << 20;

pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `method path` on `address`, with `headers` and a JSON `body` if any.
/// Err says what went wrong, for a test's failure message.
pub fn request(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Response, String> {
    let fail = |what: &str, e: std::io::Error| format!("{method} http://{address}{path}: {what}: {e}");
    let mut stream = TcpStream::connect_timeout(&address, TIMEOUT).map_err(|e| fail("connect", e))?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(|e| fail("set read timeout", e))?;
    stream.set_write_timeout(Some(TIMEOUT)).map_err(|e| fail("set write timeout", e))?;

    let body = body.unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).map_err(|e| fail("send", e))?;
    stream.write_all(body).map_err(|e| fail("send", e))?;

    let mut raw = Vec::new();
    stream.take(MAX_RESPONSE).read_to_end(&mut raw).map_err(|e| fail("read", e))?;
    parse(&raw).map_err(|e| format!("{method} http://{address}{path}: {e}"))
}

fn parse(raw: &[u8]) -> Result<Response, String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no end of headers in {:?}", String::from_utf8_lossy(raw)))?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    // "HTTP/1.1 200 OK"
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let chunked = lines.any(|line| {
        let line = line.to_ascii_lowercase();
        line.starts_with("transfer-encoding:") && line.contains("chunked")
    });
    let body = &raw[end + 4..];
    // Go's server chunks a large response it did not measure, even when
    // the connection closes after it.
    let body = if chunked { dechunk(body)? } else { body.to_vec() };
    Ok(Response { status, body })
}

/// The body of a `Transfer-Encoding: chunked` response.
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").ok_or("a chunk without its size line")?;
        let size_line = String::from_utf8_lossy(&rest[..line_end]);
        // The size may carry extensions after a ';'.
        let size_hex = size_line.split(';').next().unwrap_or_default().trim();
        let size =
            usize::from_str_radix(size_hex, 16).map_err(|e| format!("chunk size {size_hex:?}: {e}"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        let chunk = rest.get(..size).ok_or("a chunk cut short")?;
        body.extend_from_slice(chunk);
        rest = rest.get(size + 2..).ok_or("a chunk without its line end")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_plain_response() {
        let response = parse(b"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno!").expect("parse");
        assert_eq!((response.status, response.text().as_str()), (404, "no!"));
    }

    #[test]
    fn reads_a_chunked_response() {
        let raw =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n";
        let response = parse(raw).expect("parse");
        assert_eq!((response.status, response.text().as_str()), (200, "{\"a\":1}"));
    }

    #[test]
    fn refuses_a_cut_response() {
        assert!(parse(b"HTTP/1.1 200 OK\r\nContent-Le").is_err());
        assert!(parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort").is_err());
    }
}
