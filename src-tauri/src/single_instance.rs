//! One window per vault: a second launch brings the first window to the
//! front (or, launched as `twofold --quick`, opens its quick search) and
//! exits, instead of opening a second window on the same vault.
//!
//! The claim is a lock on `window.lock` in the data directory (so separate
//! data directories, as the tests use, are separate instances), released by
//! the system however the process ends. On Unix the first instance also
//! listens on `window.sock` beside it, where a second launch asks it to show
//! itself; elsewhere the second launch says Twofold is already open.

use std::fs::{File, OpenOptions};
use std::path::Path;

/// How long a connection may take to say its five bytes.
#[cfg(unix)]
const READ_PATIENCE: std::time::Duration = std::time::Duration::from_secs(1);

/// Held for the life of the first instance.
pub struct Claim {
    _lock: File,
    #[cfg(unix)]
    socket: std::path::PathBuf,
}

/// What a second launch asks the first instance for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    Show,
    Quick,
}

#[cfg(unix)]
impl Request {
    /// Every request is five bytes on the socket.
    fn bytes(self) -> &'static [u8; 5] {
        match self {
            Request::Show => b"show\n",
            Request::Quick => b"quik\n",
        }
    }
}

pub enum Outcome {
    First(Claim),
    /// Another window already runs on this data directory; it was asked to
    /// come to the front where that is possible.
    AlreadyRunning,
}

pub fn claim(data_dir: &Path, request: Request) -> std::io::Result<Outcome> {
    twofold_core::fs::create_private_dir(data_dir)?;
    let lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(data_dir.join("window.lock"))?;
    match lock.try_lock() {
        Ok(()) => Ok(Outcome::First(Claim {
            _lock: lock,
            #[cfg(unix)]
            socket: data_dir.join("window.sock"),
        })),
        Err(std::fs::TryLockError::WouldBlock) => {
            // No socket to forward the request through elsewhere (see above).
            #[cfg(not(unix))]
            let _ = request;
            #[cfg(unix)]
            {
                use std::io::Write;
                if let Ok(mut stream) = std::os::unix::net::UnixStream::connect(data_dir.join("window.sock"))
                {
                    let _ = stream.write_all(request.bytes());
                }
            }
            Ok(Outcome::AlreadyRunning)
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

impl Claim {
    /// Runs `on_request` whenever a second launch asks for something.
    pub fn listen(&self, on_request: impl Fn(Request) + Send + 'static) {
        #[cfg(unix)]
        {
            use std::io::Read;
            // A socket left by a crashed instance is ours to replace: we hold the lock.
            let _ = std::fs::remove_file(&self.socket);
            let Ok(listener) = std::os::unix::net::UnixListener::bind(&self.socket) else { return };
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    // A connection that says nothing (any program of this
                    // user can connect) must not hold up the launches after it.
                    if stream.set_read_timeout(Some(READ_PATIENCE)).is_err() {
                        continue;
                    }
                    let mut request = [0u8; 5];
                    if stream.take(5).read_exact(&mut request).is_err() {
                        continue;
                    }
                    if &request == Request::Show.bytes() {
                        on_request(Request::Show);
                    } else if &request == Request::Quick.bytes() {
                        on_request(Request::Quick);
                    }
                }
            });
        }
        #[cfg(not(unix))]
        let _ = on_request;
    }
}
