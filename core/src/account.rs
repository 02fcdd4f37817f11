//! An enrolled account: its OTP parameters plus what a person records with it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::icons::{self, Icon, IconChoice};
use crate::otp::{Otp, OtpType};
use crate::uri::OtpauthUri;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: Uuid,
    pub issuer: String,
    pub name: String,
    pub otp: Otp,
    /// Unix seconds when the account was added.
    pub created: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Backup codes the service gave when 2FA was enabled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery_codes: Vec<RecoveryCode>,
    /// Other ways into the account, so the checklist can tell which ones
    /// depend on Twofold alone.
    #[serde(default, skip_serializing_if = "OtherWays::is_empty")]
    pub other_ways: OtherWays,
    /// Unix seconds of the last change by the person (0: never changed).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub updated: u64,
    /// Shown in the tray menu, to copy its code without opening the window.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
    /// Unix seconds its code was last copied (0: never), for the "recently
    /// used" order.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub last_used: u64,
    /// The icon shown: matched by issuer unless the person chose one, or none.
    #[serde(default, skip_serializing_if = "IconChoice::is_auto")]
    pub icon: IconChoice,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

/// Sign-in methods besides the codes Twofold makes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherWays {
    /// Phone number codes can be texted to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub security_key: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub passkey: bool,
}

impl OtherWays {
    pub fn is_empty(&self) -> bool {
        self.sms.is_none() && self.email.is_none() && !self.security_key && !self.passkey
    }
}

/// One backup code; as sensitive as the OTP secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct RecoveryCode {
    pub code: String,
    /// Unix seconds when it was marked used.
    #[serde(default)]
    pub used_at: Option<u64>,
}

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryCode").field("code", &"<redacted>").field("used_at", &self.used_at).finish()
    }
}

impl Account {
    pub fn new(issuer: impl Into<String>, name: impl Into<String>, otp: Otp, created: u64) -> Self {
        Self {
            id: Uuid::new_v4(),
            issuer: issuer.into(),
            name: name.into(),
            otp,
            created,
            tags: Vec::new(),
            notes: String::new(),
            recovery_codes: Vec::new(),
            other_ways: OtherWays::default(),
            updated: 0,
            pinned: false,
            last_used: 0,
            icon: IconChoice::Auto,
        }
    }

    pub fn from_uri(uri: OtpauthUri, created: u64) -> Self {
        Self::new(uri.issuer, uri.name, uri.otp, created)
    }

    pub fn to_uri(&self) -> OtpauthUri {
        OtpauthUri { issuer: self.issuer.clone(), name: self.name.clone(), otp: self.otp.clone() }
    }

    /// Case-insensitive match on issuer and name, for search boxes and the CLI.
    pub fn matches(&self, query: &str) -> bool {
        let query = query.trim().to_lowercase();
        query.is_empty()
            || self.issuer.to_lowercase().contains(&query)
            || self.name.to_lowercase().contains(&query)
    }

    /// What a list shows: never the secret. Time-based accounts also carry
    /// the code that follows and when it takes over, so a list can flip
    /// codes at the boundary without asking again.
    pub fn summary_at(&self, unix_seconds: u64) -> Summary {
        let code = self.otp.code_at(unix_seconds);
        let changes_at = code.seconds_left.map(|left| unix_seconds + u64::from(left));
        Summary {
            next_code: self.otp.next_code_at(unix_seconds).map(|c| c.value),
            next_shown_within: code.period.map(|period| NEXT_CODE_SHOWN_WITHIN.min(period)),
            changes_at,
            id: self.id,
            issuer: self.issuer.clone(),
            name: self.name.clone(),
            kind: self.otp.kind.otp_type(),
            code: code.value,
            seconds_left: code.seconds_left,
            period: code.period,
            recovery_codes: self.recovery_codes.len(),
            recovery_codes_left: self.recovery_codes_left(),
            recovery_codes_low: self.recovery_codes_low(),
            pinned: self.pinned,
            tags: self.tags.clone(),
            icon: icons::for_account(&self.icon, &self.issuer, &self.name),
        }
    }

    pub fn recovery_codes_left(&self) -> usize {
        self.recovery_codes.iter().filter(|c| c.used_at.is_none()).count()
    }

    /// The account has recovery codes and at most one is left: time to ask
    /// the service for new ones.
    pub fn recovery_codes_low(&self) -> bool {
        !self.recovery_codes.is_empty() && self.recovery_codes_left() <= 1
    }

    /// "Issuer (name)", or whichever of the two exists.
    pub fn display_name(&self) -> String {
        label(&self.issuer, &self.name)
    }
}

/// Tags as stored: trimmed, control characters dropped, at most
/// [`MAX_TAG_CHARS`] characters each, the same tag (ignoring case) once,
/// at most [`MAX_TAGS`], in the order given.
pub fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    tags.iter()
        .map(|tag| tag.chars().filter(|c| !c.is_control()).take(MAX_TAG_CHARS).collect::<String>())
        .map(|tag| tag.trim().to_owned())
        .filter(|tag| !tag.is_empty() && seen.insert(tag.to_lowercase()))
        .take(MAX_TAGS)
        .collect()
}

/// Whether two tags are the same tag: case does not matter, in any script.
pub fn same_tag(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 40;

/// "Issuer (name)", or whichever of the two exists, [`printable`].
pub fn label(issuer: &str, name: &str) -> String {
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => printable(&format!("{issuer} ({name})")),
        (false, true) => printable(issuer),
        _ => printable(name),
    }
}

/// `text` with its control characters (terminal escape sequences in a
/// crafted file or QR code) shown as U+FFFD, so text printed to a terminal
/// can never drive it.
pub fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect()
}

/// In the last this many seconds of a period a list shows the next code
/// beside the current one, so a code that expires while it is typed can be
/// replaced by the one that follows (Shift+click copies it).
pub const NEXT_CODE_SHOWN_WITHIN: u32 = 7;

/// An account as lists show it: issuer, name and the current code, no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub id: Uuid,
    pub issuer: String,
    pub name: String,
    pub kind: OtpType,
    pub code: String,
    /// The code from `changes_at` on (time-based accounts only).
    pub next_code: Option<String>,
    /// The list shows `next_code` beside `code` when at most this many
    /// seconds are left ([`NEXT_CODE_SHOWN_WITHIN`], at most the period).
    pub next_shown_within: Option<u32>,
    /// Unix seconds when `code` expires and `next_code` takes over.
    pub changes_at: Option<u64>,
    pub seconds_left: Option<u32>,
    pub period: Option<u32>,
    pub recovery_codes: usize,
    pub recovery_codes_left: usize,
    pub recovery_codes_low: bool,
    pub pinned: bool,
    pub tags: Vec<String>,
    /// The brand icon to show (`ui/icons/<slug>.svg`), if any.
    pub icon: Option<&'static Icon>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Public example keys, no real account's: RFC 6238's SHA1 seed
    /// ("12345678901234567890") and the common "Hello!\xde\xad\xbe\xef".
    const RFC_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    const EXAMPLE_KEY: &str = "JBSWY3DPEHPK3PXP";

    fn account(uri: &str) -> Account {
        Account::from_uri(OtpauthUri::parse(uri).expect("valid"), 0)
    }

    /// A list can flip to the next code at the boundary on its own: the
    /// summary says which code follows and when, for each period.
    #[test]
    fn summaries_carry_the_next_code_and_when_it_takes_over() {
        // RFC 6238's SHA1 seed; Appendix B: T = 59 s gives 94287082.
        let rfc = account(&format!("otpauth://totp/RFC:a?secret={RFC_SEED}&digits=8"));
        let s = rfc.summary_at(59);
        assert_eq!((s.code.as_str(), s.changes_at, s.seconds_left), ("94287082", Some(60), Some(1)));
        assert_eq!(s.next_code, Some(rfc.otp.code_at(60).value));
        assert_ne!(s.next_code.as_deref(), Some("94287082"));

        let minute = account(&format!("otpauth://totp/A:b?secret={EXAMPLE_KEY}&period=60"));
        let s = minute.summary_at(1_000);
        assert_eq!((s.changes_at, s.seconds_left), (Some(1_020), Some(20)));
        assert_eq!(s.next_code, Some(minute.otp.code_at(1_020).value));

        let hotp = account(&format!("otpauth://hotp/Bank:c?secret={EXAMPLE_KEY}&counter=3"));
        let s = hotp.summary_at(1_000);
        assert_eq!((s.next_code, s.changes_at, s.seconds_left), (None, None, None));
    }

    /// Issue 12: a name carrying an escape sequence cannot reach a terminal raw.
    #[test]
    fn labels_never_carry_control_characters() {
        assert_eq!(label("Evil\u{1b}[2J", "me\n"), "Evil\u{fffd}[2J (me\u{fffd})");
        assert_eq!(label("GitHub", "alice"), "GitHub (alice)");
    }
}

#[cfg(test)]
mod tag_tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_bounded_and_kept_once() {
        let given: Vec<String> = ["  Work ", "work", "", "\u{1b}[31mred", &"x".repeat(100), "Home"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let tags = clean_tags(&given);
        assert_eq!(tags, ["Work", "[31mred", "x".repeat(MAX_TAG_CHARS).as_str(), "Home"]);
        let many: Vec<String> = (0..50).map(|i| format!("t{i}")).collect();
        assert_eq!(clean_tags(&many).len(), MAX_TAGS);
    }
}
