//! Keeps secrets out of crash dumps: a process that holds decrypted seeds
//! asks the system not to write its memory to disk when it dies, and (on
//! Linux) not to let other processes of the same user attach to it.

/// Call first thing in `main`, in the window app and the CLI. Best effort:
/// a system that refuses leaves the process as it was.
pub fn process() {
    #[cfg(unix)]
    {
        use rustix::process::{setrlimit, Resource, Rlimit};
        let _ = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) });
    }
    #[cfg(target_os = "linux")]
    {
        // Not dumpable: no core file even through a crash handler, and no
        // ptrace by other processes of this user.
        let _ = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// Issue 12: a killed process must not leave its seeds in a core file.
    #[test]
    fn no_core_dumps() {
        super::process();
        let limit = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!((limit.current, limit.maximum), (Some(0), Some(0)));
        assert_eq!(
            rustix::process::dumpable_behavior().expect("prctl"),
            rustix::process::DumpableBehavior::NotDumpable
        );
    }
}
