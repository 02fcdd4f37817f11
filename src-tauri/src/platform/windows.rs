//! Windows: the session's lock, log-off and disconnect
//! (`WTSRegisterSessionNotification`, `WM_WTSSESSION_CHANGE`) and suspend
//! (`WM_POWERBROADCAST` with `PBT_APMSUSPEND`) reach a hidden window of
//! Twofold's own, on a thread of its own that sleeps in `GetMessageW` until
//! one arrives. Hidden, not message-only: broadcasts such as
//! `WM_POWERBROADCAST` are not sent to message-only windows.
#![allow(unsafe_code)]

use std::cell::RefCell;

use windows::core::w;
use windows::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows::Win32::System::LibraryLoader::GetModuleHandleW;
use windows::Win32::System::RemoteDesktop::{WTSRegisterSessionNotification, NOTIFY_FOR_THIS_SESSION};
use windows::Win32::UI::WindowsAndMessaging::{
    CreateWindowExW, DefWindowProcW, DispatchMessageW, GetMessageW, RegisterClassW, MSG, PBT_APMSUSPEND,
    WINDOW_EX_STYLE, WINDOW_STYLE, WM_POWERBROADCAST, WM_WTSSESSION_CHANGE, WNDCLASSW,
    WTS_CONSOLE_DISCONNECT, WTS_REMOTE_DISCONNECT, WTS_SESSION_LOCK, WTS_SESSION_LOGOFF,
};

thread_local! {
    /// What the window procedure calls: set on the window's own thread,
    /// the only thread its messages are dispatched on.
    static ON_LOCK: RefCell<Option<Box<dyn Fn()>>> = RefCell::new(None);
}

/// Runs `on_lock` each time the session locks, logs off or is
/// disconnected, and when the computer suspends.
pub fn watch_session(on_lock: impl Fn() + Clone + Send + 'static) {
    std::thread::spawn(move || {
        ON_LOCK.with(|slot| *slot.borrow_mut() = Some(Box::new(on_lock)));
        let Some(window) = hidden_window() else { return };
        // SAFETY: `window` is a live window created on this thread just
        // above; the call only registers it for this session's messages.
        if unsafe { WTSRegisterSessionNotification(window, NOTIFY_FOR_THIS_SESSION) }.is_err() {
            // Without session messages, suspend still arrives.
        }
        let mut message = MSG::default();
        // SAFETY: `message` is a valid, writable MSG for the whole loop, and
        // messages are read and dispatched on the thread that owns the window.
        while unsafe { GetMessageW(&mut message, None, 0, 0) }.as_bool() {
            // SAFETY: `message` was just filled in by GetMessageW.
            unsafe { DispatchMessageW(&message) };
        }
    });
}

/// A window that is never shown, whose procedure is [`procedure`].
fn hidden_window() -> Option<HWND> {
    // SAFETY: a null module name asks for this executable's own handle.
    let instance = unsafe { GetModuleHandleW(None) }.ok()?;
    let class = w!("TwofoldSessionWatch");
    let description = WNDCLASSW {
        lpfnWndProc: Some(procedure),
        hInstance: instance.into(),
        lpszClassName: class,
        ..Default::default()
    };
    // SAFETY: `description` is fully initialised and its class name is a
    // static wide string; registering twice fails harmlessly.
    unsafe { RegisterClassW(&description) };
    // SAFETY: the class was registered above with this instance; no
    // parent, menu or creation data is passed.
    unsafe {
        CreateWindowExW(
            WINDOW_EX_STYLE::default(),
            class,
            w!("Twofold"),
            WINDOW_STYLE::default(),
            0,
            0,
            0,
            0,
            None,
            None,
            Some(instance.into()),
            None,
        )
    }
    .ok()
}

/// The hidden window's procedure: the messages that mean "lock now".
extern "system" fn procedure(window: HWND, message: u32, wparam: WPARAM, lparam: LPARAM) -> LRESULT {
    let lock = match message {
        WM_WTSSESSION_CHANGE => matches!(
            u32::try_from(wparam.0).unwrap_or(0),
            WTS_SESSION_LOCK | WTS_SESSION_LOGOFF | WTS_CONSOLE_DISCONNECT | WTS_REMOTE_DISCONNECT
        ),
        WM_POWERBROADCAST => u32::try_from(wparam.0).unwrap_or(0) == PBT_APMSUSPEND,
        _ => false,
    };
    if lock {
        ON_LOCK.with(|slot| {
            if let Some(on_lock) = slot.borrow().as_ref() {
                on_lock();
            }
        });
    }
    // SAFETY: the arguments are exactly those Windows passed to this
    // procedure for `window`.
    unsafe { DefWindowProcW(window, message, wparam, lparam) }
}

/// Windows Hello is set up for this person: the page then offers
/// "Unlock with Windows Hello".
pub fn system_unlock_kind() -> Option<&'static str> {
    use windows::Security::Credentials::UI::{UserConsentVerifier, UserConsentVerifierAvailability};
    let availability = UserConsentVerifier::CheckAvailabilityAsync().ok()?.join().ok()?;
    (availability == UserConsentVerifierAvailability::Available).then_some("windows_hello")
}

/// Asks Windows Hello to confirm the person, its prompt over `window` (a
/// desktop app must name its window: the interop interface). Blocks until
/// they answer (a command's blocking thread). `Err`: Windows cannot ask.
pub fn confirm_person(window: HWND, reason: &str) -> Result<twofold_core::app_lock::SystemAnswer, String> {
    use twofold_core::app_lock::SystemAnswer;
    use windows::core::HSTRING;
    use windows::Security::Credentials::UI::{UserConsentVerificationResult, UserConsentVerifier};
    use windows::Win32::System::WinRT::IUserConsentVerifierInterop;

    let interop = windows::core::factory::<UserConsentVerifier, IUserConsentVerifierInterop>()
        .map_err(|e| format!("Windows Hello is not reachable: {e}"))?;
    // SAFETY: `window` is the app's own live top-level window, and the
    // message is an owned HSTRING that outlives the call.
    let asked = unsafe {
        interop.RequestVerificationForWindowAsync::<windows_future::IAsyncOperation<UserConsentVerificationResult>>(
            window,
            &HSTRING::from(reason),
        )
    }
    .map_err(|e| format!("Windows Hello did not start: {e}"))?;
    let result = asked.join().map_err(|e| format!("Windows Hello did not answer: {e}"))?;
    Ok(match result {
        UserConsentVerificationResult::Verified => SystemAnswer::Confirmed,
        UserConsentVerificationResult::Canceled => SystemAnswer::Cancelled,
        UserConsentVerificationResult::RetriesExhausted => SystemAnswer::Refused,
        _ => return Err(format!("Windows Hello cannot ask now ({})", result.0)),
    })
}
