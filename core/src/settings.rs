//! What the vault keeps besides accounts: [`Meta`] and every persisted
//! settings type, whichever feature reads it (the clock check, the app lock,
//! privacy, the tray, quick search, the list order, transfer and backups).
//!
//! A leaf: settings are plain data saved inside the vault, so they name no
//! feature's module above them. Each feature validates its own values (as
//! [`Retention::checked`] does) before the vault stores them.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::app_lock::LockSettings;
use crate::clock::DEFAULT_SERVER;

/// Vault-wide facts that are not accounts.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The last transfer bundle verified complete against this vault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_verified_bundle: Option<VerifiedBundle>,
    #[serde(default)]
    pub clock: ClockSettings,
    /// The window's app lock (off unless the person sets a passphrase).
    #[serde(default)]
    pub lock: LockSettings,
    #[serde(default)]
    pub privacy: Privacy,
    #[serde(default)]
    pub tray: TraySettings,
    #[serde(default)]
    pub quick: QuickSettings,
    /// Where automatic backups go (`None`: off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_folder: Option<PathBuf>,
    #[serde(default)]
    pub backup_retention: Retention,
    /// How the list is ordered (pinned accounts always first).
    #[serde(default)]
    pub list_order: ListOrder,
    /// The last emergency kit printed (`kit`), for the checklist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_kit: Option<KitPrinted>,
    /// Sync through a folder (`sync`; `None`: off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<SyncSettings>,
}

/// Where this computer syncs, and what it knows of the others.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSettings {
    pub folder: PathBuf,
    /// This computer's name, as the others show it.
    pub name: String,
    /// The other computers, by device id (16 hex digits).
    #[serde(default)]
    pub peers: std::collections::BTreeMap<String, PeerSeen>,
    /// Computers the person removed: their files are no longer read.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub removed: std::collections::BTreeSet<String>,
}

/// Another computer not seen for this many days is named (the checklist,
/// `sync status`): a laptop in a drawer still holds every account.
pub const PEER_UNSEEN_AFTER_DAYS: u64 = 30;

/// Another computer as its last file said.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerSeen {
    pub name: String,
    /// When it wrote that file, by its own clock (Unix milliseconds).
    pub written_ms: u64,
}

/// When an emergency kit was made, and how many accounts it held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitPrinted {
    /// Unix seconds.
    pub at: u64,
    pub accounts: usize,
}

/// How the list is ordered.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListOrder {
    /// The person's own order (drag, or Alt+arrow keys): the vault's order.
    #[default]
    Manual,
    /// By issuer, then name, ignoring case.
    Name,
    /// The account whose code was copied last first.
    Recent,
}

/// The quick-search window's global shortcut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickSettings {
    /// An accelerator such as `Ctrl+Alt+K`.
    pub shortcut: String,
}

impl Default for QuickSettings {
    fn default() -> Self {
        Self { shortcut: "Ctrl+Alt+K".to_owned() }
    }
}

/// What closing the window does where a tray exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraySettings {
    /// Closing the window leaves Twofold in the tray (on by default).
    pub close_to_tray: bool,
    /// The one-time notice that it did so has been shown.
    #[serde(default)]
    pub notice_shown: bool,
}

impl Default for TraySettings {
    fn default() -> Self {
        Self { close_to_tray: true, notice_shown: false }
    }
}

/// How much the window shows of a code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privacy {
    /// Codes show as `••• •••` until a row is revealed; a click still copies.
    #[serde(default)]
    pub hide_codes: bool,
    /// Keep the window out of screenshots and screen sharing, where the
    /// platform allows it.
    #[serde(default)]
    pub hide_from_capture: bool,
}

/// The clock check's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockSettings {
    pub enabled: bool,
    pub server: String,
}

impl Default for ClockSettings {
    fn default() -> Self {
        Self { enabled: true, server: DEFAULT_SERVER.to_owned() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedBundle {
    /// Unix seconds of the verification.
    pub at: u64,
    /// Accounts the bundle held.
    pub accounts: usize,
    /// Where it was (as the person chose it).
    pub path: String,
}

/// How long backups are kept (saved with the vault's settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Every backup younger than this many hours.
    pub all_hours: u64,
    /// Then the last of each day, for this many days.
    pub daily_days: u64,
    /// Then the last of each month, for this many months.
    pub monthly_months: u64,
    /// The last backup holding an account deleted within this many days.
    pub deleted_days: u64,
}

impl Retention {
    /// The longest each period may be: a year of every backup, ten years of
    /// daily ones, a hundred of monthly ones.
    pub const MAX: Retention =
        Retention { all_hours: 24 * 366, daily_days: 3660, monthly_months: 1200, deleted_days: 3660 };

    /// Refuses a period longer than [`Retention::MAX`] (naming it).
    pub fn checked(self) -> Result<Self, RetentionTooLong> {
        let max = Self::MAX;
        for (value, max, unit) in [
            (self.all_hours, max.all_hours, "hours"),
            (self.daily_days, max.daily_days, "days"),
            (self.monthly_months, max.monthly_months, "months"),
            (self.deleted_days, max.deleted_days, "days"),
        ] {
            if value > max {
                return Err(RetentionTooLong { max, unit });
            }
        }
        Ok(self)
    }

    /// Whether any period is shorter than in `other`: backups `other`
    /// keeps would be deleted, so the person confirms it.
    pub fn shorter_than(&self, other: &Retention) -> bool {
        self.all_hours < other.all_hours
            || self.daily_days < other.daily_days
            || self.monthly_months < other.monthly_months
            || self.deleted_days < other.deleted_days
    }
}

impl Default for Retention {
    fn default() -> Self {
        Self { all_hours: 24, daily_days: 30, monthly_months: 12, deleted_days: 30 }
    }
}

/// A backup period longer than [`Retention::MAX`] allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("backups can be kept for at most {max} {unit}")]
pub struct RetentionTooLong {
    pub max: u64,
    pub unit: &'static str,
}
