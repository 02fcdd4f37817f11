//! Copying a code: the system clipboard, cleared again after a while — but
//! only if it still holds our code, so something the person copied since
//! is never wiped.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use zeroize::Zeroizing;

/// How long a copied code stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

pub enum Pasted {
    Image { width: u32, height: u32, rgba: Vec<u8> },
    Text(Zeroizing<String>),
}

#[derive(Default)]
pub struct CodeClipboard {
    /// One long-lived handle: on X11 the owner must stay alive to serve the selection.
    handle: Mutex<Option<arboard::Clipboard>>,
    /// Bumped on each copy, so only the latest copy's timer clears.
    generation: AtomicU64,
    /// What we last put there, to compare before clearing.
    last: Mutex<Option<Zeroizing<String>>>,
}

impl CodeClipboard {
    pub fn copy(self: &Arc<Self>, text: &str) -> Result<(), arboard::Error> {
        self.with_handle(|clipboard| set_private(clipboard, text))?;
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        *self.lock_last() = Some(Zeroizing::new(text.to_owned()));
        let this = Arc::clone(self);
        std::thread::spawn(move || {
            std::thread::sleep(CLEAR_AFTER);
            if this.generation.load(Ordering::SeqCst) == generation {
                this.clear_if_ours();
            }
        });
        Ok(())
    }

    /// What the clipboard holds now, for pasting a QR screenshot or a link.
    pub fn read(&self) -> Result<Pasted, arboard::Error> {
        self.with_handle(|clipboard| {
            // On X11, arboard gives up on a large image when the owner pauses
            // more than 10 ms between chunks, and reports that exactly like an
            // empty clipboard; a busy machine hits that with big screenshots.
            // A clipboard without an image refuses at once, so retrying is cheap.
            for _ in 0..4 {
                match clipboard.get_image() {
                    Ok(image) => {
                        return Ok(Pasted::Image {
                            width: u32::try_from(image.width).unwrap_or(u32::MAX),
                            height: u32::try_from(image.height).unwrap_or(u32::MAX),
                            rgba: image.bytes.into_owned(),
                        })
                    }
                    Err(arboard::Error::ContentNotAvailable) => continue,
                    // Text offered without an image format answers "incorrect
                    // type received" on X11: it is not an image, so read text.
                    Err(_) => break,
                }
            }
            clipboard.get_text().map(|t| Pasted::Text(Zeroizing::new(t)))
        })
    }

    /// Clears the clipboard if it still holds the last code we copied.
    pub fn clear_if_ours(&self) {
        let Some(ours) = self.lock_last().take() else { return };
        let _ = self.with_handle(|clipboard| {
            if clipboard.get_text().map(Zeroizing::new).is_ok_and(|now| now == ours) {
                clipboard.clear()?;
            }
            Ok(())
        });
    }

    fn with_handle<T>(
        &self,
        f: impl FnOnce(&mut arboard::Clipboard) -> Result<T, arboard::Error>,
    ) -> Result<T, arboard::Error> {
        let mut guard = self.handle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard.is_none() {
            *guard = Some(arboard::Clipboard::new()?);
        }
        match guard.as_mut() {
            Some(clipboard) => f(clipboard),
            None => Err(arboard::Error::ClipboardNotSupported),
        }
    }

    fn lock_last(&self) -> std::sync::MutexGuard<'_, Option<Zeroizing<String>>> {
        self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Asks clipboard managers and history features not to keep the code.
fn set_private(clipboard: &mut arboard::Clipboard, text: &str) -> Result<(), arboard::Error> {
    #[cfg(target_os = "linux")]
    {
        use arboard::SetExtLinux;
        clipboard.set().exclude_from_history().text(text)
    }
    #[cfg(target_os = "windows")]
    {
        use arboard::SetExtWindows;
        clipboard.set().exclude_from_history().exclude_from_cloud().text(text)
    }
    #[cfg(target_os = "macos")]
    {
        use arboard::SetExtApple;
        clipboard.set().exclude_from_history().text(text)
    }
    #[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
    {
        clipboard.set_text(text)
    }
}
