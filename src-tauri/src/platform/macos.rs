//! macOS: the screen locking (`com.apple.screenIsLocked`) and the screen
//! saver starting (`com.apple.screensaver.didstart`) are distributed
//! notifications (`NSDistributedNotificationCenter`); going to sleep is
//! `NSWorkspaceWillSleepNotification` on the workspace's own centre. Each
//! observer is a block the centre calls; nothing polls.
#![allow(unsafe_code)]

use std::ptr::NonNull;

use block2::RcBlock;
use objc2_app_kit::{NSWorkspace, NSWorkspaceWillSleepNotification};
use objc2_foundation::{NSDistributedNotificationCenter, NSNotification, NSNotificationCenter, NSString};

/// Runs `on_lock` each time the screen locks, the screen saver starts or
/// the Mac goes to sleep.
pub fn watch_session(on_lock: impl Fn() + Clone + Send + 'static) {
    let distributed = NSDistributedNotificationCenter::defaultCenter();
    for name in ["com.apple.screenIsLocked", "com.apple.screensaver.didstart"] {
        observe(&distributed, &NSString::from_str(name), on_lock.clone());
    }
    let workspace = NSWorkspace::sharedWorkspace().notificationCenter();
    // SAFETY: the notification name is a constant AppKit exports, valid
    // for the life of the process.
    let sleep = unsafe { NSWorkspaceWillSleepNotification };
    observe(&workspace, sleep, on_lock);
}

/// Calls `on_lock` whenever `center` posts `name`, for the life of the app.
fn observe(center: &NSNotificationCenter, name: &NSString, on_lock: impl Fn() + 'static) {
    let block = RcBlock::new(move |_: NonNull<NSNotification>| on_lock());
    // SAFETY: `name` is a valid NSString, no sender or queue is given (the
    // block runs on the posting thread), and the block owns everything it
    // uses; the centre copies it.
    let observer =
        unsafe { center.addObserverForName_object_queue_usingBlock(Some(name), None, None, &block) };
    // Observing lasts as long as Twofold runs: the token is kept, never
    // removed.
    std::mem::forget(observer);
}

/// Touch ID, or else the Mac's own password, can confirm the person: the
/// page then offers "Unlock with Touch ID" (or "… your system password").
pub fn system_unlock_kind() -> Option<&'static str> {
    use objc2_local_authentication::{LAContext, LAPolicy};
    // SAFETY: a fresh context, used on this thread only.
    let context = unsafe { LAContext::new() };
    // SAFETY: `context` is a valid LAContext and the policies are constants.
    let can = |policy| unsafe { context.canEvaluatePolicy_error(policy) }.is_ok();
    if can(LAPolicy::DeviceOwnerAuthenticationWithBiometrics) {
        Some("touch_id")
    } else if can(LAPolicy::DeviceOwnerAuthentication) {
        Some("system_password")
    } else {
        None
    }
}

/// Asks macOS to confirm the person (Touch ID, or the Mac's password:
/// `deviceOwnerAuthentication`), saying `reason`. Blocks until they answer
/// (a command's blocking thread). `Err`: macOS cannot ask.
pub fn confirm_person(reason: &str) -> Result<twofold_core::app_lock::SystemAnswer, String> {
    use std::sync::mpsc;

    use objc2::runtime::Bool;
    use objc2_foundation::NSError;
    use objc2_local_authentication::{LAContext, LAError, LAPolicy};
    use twofold_core::app_lock::SystemAnswer;

    let (sender, answered) = mpsc::channel();
    let reply = RcBlock::new(move |success: Bool, error: *mut NSError| {
        let answer = if success.as_bool() {
            Ok(SystemAnswer::Confirmed)
        } else {
            // SAFETY: on failure LocalAuthentication passes a valid NSError
            // (or null), alive for the duration of this call.
            let code = unsafe { error.as_ref() }.map(|e| e.code());
            match code {
                Some(c)
                    if c == LAError::UserCancel.0
                        || c == LAError::SystemCancel.0
                        || c == LAError::AppCancel.0 =>
                {
                    Ok(SystemAnswer::Cancelled)
                }
                Some(c) if c == LAError::AuthenticationFailed.0 => Ok(SystemAnswer::Refused),
                other => Err(format!("macOS cannot ask now ({other:?})")),
            }
        };
        let _ = sender.send(answer);
    });
    // SAFETY: a fresh context; the reason is a valid NSString; the reply
    // block is copied by LocalAuthentication and owns its channel end.
    unsafe {
        let context = LAContext::new();
        context.evaluatePolicy_localizedReason_reply(
            LAPolicy::DeviceOwnerAuthentication,
            &NSString::from_str(reason),
            &reply,
        );
    }
    answered.recv().map_err(|_| "macOS never answered".to_owned())?
}
