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
    /// An image as the clipboard offered it (PNG), its size checked before
    /// anything decodes it; it is then read like a dropped file.
    #[cfg(target_os = "linux")]
    Png(Zeroizing<Vec<u8>>),
    /// Pixels the platform's clipboard already decoded.
    #[cfg(not(target_os = "linux"))]
    Image {
        width: u32,
        height: u32,
        rgba: Vec<u8>,
    },
    Text(Zeroizing<String>),
}

/// Why nothing could be pasted.
#[derive(Debug)]
pub enum PasteError {
    /// No image and no text (or no clipboard at all).
    Empty,
    /// An image larger than any file Twofold reads.
    TooLarge,
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
    /// Called from a command's blocking thread.
    #[cfg(target_os = "linux")]
    pub fn read(&self, app: &tauri::AppHandle) -> Result<Pasted, PasteError> {
        gtk_paste::read(app)
    }

    /// What the clipboard holds now, for pasting a QR screenshot or a link.
    #[cfg(not(target_os = "linux"))]
    pub fn read(&self, _app: &tauri::AppHandle) -> Result<Pasted, PasteError> {
        let pasted = self.with_handle(|clipboard| match clipboard.get_image() {
            Ok(image) => Ok(Pasted::Image {
                width: u32::try_from(image.width).unwrap_or(u32::MAX),
                height: u32::try_from(image.height).unwrap_or(u32::MAX),
                rgba: image.bytes.into_owned(),
            }),
            // Anything else (no image, text only) is read as text.
            Err(_) => clipboard.get_text().map(|t| Pasted::Text(Zeroizing::new(t))),
        });
        // arboard has decoded it already; what is too large is still refused here.
        match pasted {
            Ok(Pasted::Image { rgba, .. }) if rgba.len() > 4 * 50_000_000 => Err(PasteError::TooLarge),
            other => other.map_err(|_| PasteError::Empty),
        }
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

/// Linux: the clipboard read through GTK on the main loop, which hands over
/// the image's encoded bytes, so their size is checked before anything
/// decodes them. arboard decodes a PNG of any size itself (up to the image
/// crate's 512 MiB default), and on X11 gave up on large ones whenever the
/// owner paused between chunks.
#[cfg(target_os = "linux")]
mod gtk_paste {
    use std::sync::mpsc;
    use std::time::Duration;

    use tauri::AppHandle;
    use zeroize::Zeroizing;

    use super::{PasteError, Pasted};

    /// Longer than any real owner takes to hand over a screenshot.
    const PATIENCE: Duration = Duration::from_secs(20);

    pub fn read(app: &AppHandle) -> Result<Pasted, PasteError> {
        let (sender, received) = mpsc::channel();
        app.run_on_main_thread(move || {
            let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
            let png = gtk::gdk::Atom::intern("image/png");
            // Only what the owner offers: some (xclip) answer any request
            // with their text, which is then no image.
            clipboard.request_contents(&gtk::gdk::Atom::intern("TARGETS"), move |clipboard, offered| {
                let has_png = offered.targets().is_some_and(|targets| targets.contains(&png));
                if !has_png {
                    return read_text(clipboard, sender);
                }
                clipboard.request_contents(&png, move |clipboard, data| {
                    let length = usize::try_from(data.length()).unwrap_or(0);
                    if length > twofold_core::fs::MAX_IMPORT_BYTES {
                        let _ = sender.send(Err(PasteError::TooLarge));
                    } else if length > 0 {
                        let _ = sender.send(Ok(Pasted::Png(Zeroizing::new(data.data()))));
                    } else {
                        read_text(clipboard, sender);
                    }
                });
            });
        })
        .map_err(|_| PasteError::Empty)?;
        received.recv_timeout(PATIENCE).map_err(|_| PasteError::Empty)?
    }

    fn read_text(clipboard: &gtk::Clipboard, sender: mpsc::Sender<Result<Pasted, PasteError>>) {
        clipboard.request_text(move |_, text| {
            let _ = sender.send(match text {
                Some(text) => Ok(Pasted::Text(Zeroizing::new(text.to_owned()))),
                None => Err(PasteError::Empty),
            });
        });
    }
}
