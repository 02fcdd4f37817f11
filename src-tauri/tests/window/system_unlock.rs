//! Issue 28: unlocking with the system on Linux, against polkit's real
//! authorization path (`tests/polkit/run`: a private system bus, polkitd
//! with the action file the packages ship, a real authentication agent and
//! PAM), through the same code the lock screen's button runs
//! (`twofold --check-system-unlock`, as an ordinary user).

use super::*;

#[test]
fn issue_28_polkit_confirms_the_right_password_and_refuses_the_rest() {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/tests/polkit/run");
    let out = Command::new(&harness).arg(APP).stdin(Stdio::null()).output().expect("the polkit harness runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the harness failed:\n{said}\n{}", String::from_utf8_lossy(&out.stderr));
    let answers: Vec<&str> = said.lines().collect();
    assert_eq!(answers.len(), 4, "four cases: {said}");
    assert_eq!(answers[0], "right: confirmed", "{said}");
    assert_eq!(answers[1], "wrong: refused", "{said}");
    assert_eq!(answers[2], "dismissed: cancelled", "a desktop's dialog closed: {said}");
    assert!(
        answers[3].starts_with("no agent: unavailable: no polkit authentication agent"),
        "no agent: nothing to count, the passphrase instead: {said}"
    );
}
