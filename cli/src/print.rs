//! What the commands print on stdout: JSON for scripts, or lines for
//! people. Nothing here holds a secret beyond the codes asked for.

use std::path::Path;

use twofold_core::account::label;
use twofold_core::checklist::Checklist;
use twofold_core::compare::Verification;
use twofold_core::{Account, Summary};

use crate::failure::Failure;

/// `value` as pretty JSON on one stdout write.
pub fn json(value: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
}

/// The code at `at`, or with `next` the one that follows it (JSON carries
/// both). A counter-based account has no next code until `next` advances it.
pub fn code(account: &Account, at: u64, next: bool, json: bool) -> Result<(), Failure> {
    if json {
        self::json(&account.summary_at(at));
        return Ok(());
    }
    let code = if next {
        account.otp.next_code_at(at).ok_or_else(|| {
            Failure::BadInput(format!(
                "{} is counter-based: its next code comes from `twofold-cli next`, which advances the counter",
                account.display_name()
            ))
        })?
    } else {
        account.otp.code_at(at)
    };
    println!("{}", code.value);
    Ok(())
}

/// The list as people read it: code, seconds left (TOTP), label.
pub fn listing(summaries: &[Summary]) {
    for s in summaries {
        let left = s.seconds_left.map(|l| format!("{l:>3}s")).unwrap_or_else(|| "   -".into());
        println!("{:<10} {left}  {}", s.code, label(&s.issuer, &s.name));
    }
}

pub fn checklist(list: &Checklist) {
    let section = |title: &str, names: &[String]| {
        if !names.is_empty() {
            println!("{title}:");
            for name in names {
                println!("  - {name}");
            }
        }
    };
    match list.bundle_age_days {
        None => println!("No transfer bundle has been verified yet: export one (twofold-cli export)."),
        Some(days) => {
            println!("Last verified transfer bundle: {days} day{} ago.", if days == 1 { "" } else { "s" })
        }
    }
    section("Added or changed since that bundle", &list.changed_since_bundle);
    section("No recovery codes saved", &list.without_recovery_codes);
    section("Only Twofold can sign in (no recovery codes, no other way in)", &list.twofold_only);
    section("Counter-based (HOTP): counters can drift", &list.hotp);
    section("Syncing computers not seen for 30 days (twofold-cli sync devices)", &list.unseen_computers);
    match list.accounts_since_kit {
        Some(0) | None => {}
        Some(1) => {
            println!("1 account added or changed since your emergency kit was printed (twofold-cli kit).")
        }
        Some(n) => {
            println!("{n} accounts added or changed since your emergency kit was printed (twofold-cli kit).")
        }
    }
    match (list.backups.problem, list.backups.on) {
        (Some(problem), _) => {
            let folder = list.backups.folder.clone().unwrap_or_default();
            match &list.backups.detail {
                Some(detail) => {
                    println!("Automatic backups are failing: {}: {detail}.", problem.said(&folder))
                }
                None => println!("Automatic backups are failing: {}.", problem.said(&folder)),
            }
        }
        (None, false) => println!("Automatic backups are off (twofold-cli backups enable)."),
        (None, true) => {}
    }
    if !list.needs_attention {
        println!("Nothing to fix: this machine can be wiped safely.");
    }
}

/// Prints how the bundle at `path` compares with the vault; exit status 1
/// unless it is complete.
pub fn verification(path: &Path, report: &Verification) -> Result<(), Failure> {
    if report.complete {
        println!("{}: all {} accounts present, codes match", path.display(), report.total);
        return Ok(());
    }
    println!("{}: {} of {} accounts present and matching", path.display(), report.matching, report.total);
    for name in &report.missing {
        println!("missing: {name}");
    }
    for name in &report.different {
        println!("different: {name}");
    }
    Err(Failure::Failed("the bundle does not match the vault".into()))
}

/// How long ago Unix second `then` was, in words ("3 hours ago"), for a
/// status line.
pub fn ago(now: u64, then: u64) -> String {
    let s = now.saturating_sub(then);
    match s {
        0..60 => "just now".into(),
        60..3600 => format!("{} minutes ago", s / 60),
        3600..86_400 => format!("{} hours ago", s / 3600),
        _ => format!("{} days ago", s / 86_400),
    }
}

/// After another command's change: only what needs the person.
pub fn sync_warnings(report: &twofold_core::sync::Report) {
    if report.conflicts > 0 {
        eprintln!(
            "twofold-cli: {} sync conflicts wait for you: twofold-cli sync conflicts",
            report.conflicts
        );
    }
    if report.held_removals + report.held_keys > 0 {
        eprintln!("twofold-cli: changes from another computer wait for you: twofold-cli sync status");
    }
    for problem in &report.problems {
        eprintln!("twofold-cli: warning: {} was not read: {}", problem.file, problem.reason);
    }
}
