//! What each operating system tells Twofold, and the one place where
//! `unsafe` code is allowed: Windows and macOS are reached through
//! Microsoft's `windows` crate and the `objc2` family, whose calls are
//! `unsafe` by nature. One file per system; each `unsafe` block there says
//! why it holds (`// SAFETY:`, which clippy's `undocumented_unsafe_blocks`
//! requires), and `tests/boundary.rs` fails on `unsafe` anywhere else.
//!
//! The session: each system's "the screen locked" and "going to sleep"
//! become one call of `on_lock` (`actions::lock_now`, through
//! [`watch_session`]). Unlocking: the system confirms the person
//! ([`confirm_person`]), beside the lock's passphrase, never instead of it.

use twofold_core::app_lock::SystemAnswer;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
#[cfg(windows)]
mod windows;

#[cfg(target_os = "linux")]
pub use self::linux::watch_session;
#[cfg(target_os = "macos")]
pub use self::macos::watch_session;
#[cfg(windows)]
pub use self::windows::watch_session;

/// Elsewhere (the BSDs): nothing to watch; the idle time and the lock
/// button still lock.
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
pub fn watch_session(on_lock: impl Fn() + Clone + Send + 'static) {
    let _ = on_lock;
}

/// How this system can confirm the person, for the page's words
/// ("windows_hello", "touch_id", "system_password"); None: it cannot here.
pub fn system_unlock_kind() -> Option<&'static str> {
    #[cfg(target_os = "linux")]
    return self::linux::system_unlock_kind();
    #[cfg(target_os = "macos")]
    return self::macos::system_unlock_kind();
    #[cfg(windows)]
    return self::windows::system_unlock_kind();
    #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
    None
}

/// Asks the system to confirm the person (Windows Hello over `window`,
/// Touch ID or the Mac's password, polkit's agent), saying `reason` where
/// the system lets the app say it. Blocks until they answer: call it on a
/// command's blocking thread. `Err`: the system cannot ask.
pub fn confirm_person(window: Option<&tauri::WebviewWindow>, reason: &str) -> Result<SystemAnswer, String> {
    #[cfg(target_os = "linux")]
    {
        let _ = (window, reason);
        self::linux::confirm_person()
    }
    #[cfg(target_os = "macos")]
    {
        let _ = window;
        self::macos::confirm_person(reason)
    }
    #[cfg(windows)]
    {
        // Windows Hello's prompt belongs to a window: without one it cannot ask.
        let window = window.ok_or("Windows Hello needs Twofold's window")?;
        let handle = window.hwnd().map_err(|e| format!("no window handle: {e}"))?;
        self::windows::confirm_person(::windows::Win32::Foundation::HWND(handle.0), reason)
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
    {
        let _ = (window, reason);
        Err("this system cannot confirm the person".into())
    }
}
