//! Aegis vault files — Twofold's transfer bundle format, and an importer.
//!
//! Spec: Aegis `docs/vault.md`. An encrypted vault holds a random 256-bit
//! master key wrapped (AES-256-GCM) by each password slot's scrypt-derived
//! key; the database JSON is AES-256-GCM under the master key. Twofold writes
//! scrypt N=2^16, r=8, p=1 (Aegis's default is N=2^15): twice the work, still
//! within a phone's memory.
//!
//! Tags travel as Aegis groups, pins as favourites and notes as Aegis notes,
//! so Aegis keeps all three.
//! Twofold's own fields (recovery codes, "other ways in", when an account was
//! added and changed) travel in an extra `twofold` object per entry, which
//! Aegis ignores and drops: that is what is lost in Aegis.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::wiped_json::WipedJson;
use super::{EntryProblem, FormatError, Imported};
use crate::account::{Account, OtherWays, RecoveryCode};
use crate::icons::IconChoice;
use crate::otp::{Kind, Otp};
use crate::secret::Secret;

/// scrypt cost Twofold writes (log2 N).
pub const SCRYPT_LOG_N: u8 = 16;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    header: Header,
    /// Plain: the entries, secrets and all; encrypted: their ciphertext.
    db: WipedJson,
}

#[derive(Serialize, Deserialize, Default)]
struct Header {
    slots: Option<Vec<Slot>>,
    params: Option<KeyParams>,
}

#[derive(Serialize, Deserialize, Clone)]
struct KeyParams {
    nonce: String,
    tag: String,
}

#[derive(Serialize, Deserialize)]
struct Slot {
    #[serde(rename = "type")]
    kind: u32,
    uuid: String,
    key: String,
    key_params: KeyParams,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    r: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    repaired: Option<bool>,
}

#[derive(Serialize, Deserialize)]
struct Db {
    version: u32,
    entries: Vec<Entry>,
    #[serde(default)]
    groups: Vec<Group>,
    /// What a backup carries beside the accounts (Aegis ignores it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    twofold: Option<Carried>,
}

/// Settings a backup carries beside the accounts, so the way back from
/// backups restores them too: the app lock (its verifier is as safe here
/// as the seeds beside it, under the same key). Transfer bundles carry none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carried {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock: Option<crate::app_lock::LockSettings>,
}

#[derive(Serialize, Deserialize)]
struct Group {
    uuid: String,
    name: String,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    uuid: String,
    /// Aegis (Java's `JSONObject.put` drops a null) and other writers leave
    /// out or null an issuer or a name they do not have.
    #[serde(default, deserialize_with = "null_as_empty")]
    name: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    issuer: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    favorite: bool,
    #[serde(default)]
    icon: Option<String>,
    info: Info,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    twofold: Option<Extra>,
}

#[derive(Serialize, Deserialize)]
struct Info {
    secret: Zeroizing<String>,
    algo: String,
    digits: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

/// Twofold's fields Aegis has no place for.
#[derive(Serialize, Deserialize, Default)]
struct Extra {
    #[serde(default)]
    created: u64,
    #[serde(default)]
    updated: u64,
    #[serde(default)]
    recovery_codes: Vec<RecoveryCode>,
    #[serde(default)]
    other_ways: OtherWays,
    /// The person's icon choice (Aegis's own icons are not carried).
    #[serde(default, skip_serializing_if = "IconChoice::is_auto")]
    icon: IconChoice,
}

/// Is this an Aegis vault file (plain or encrypted)?
pub fn detect(value: &Value) -> bool {
    value.get("version").is_some() && value.get("header").is_some() && value.get("db").is_some()
}

pub fn is_encrypted(value: &Value) -> bool {
    value["header"]["slots"].is_array()
}

/// Reads a plain vault.
pub fn read_plain(value: &Value) -> Result<Imported, FormatError> {
    let file: File = WipedJson::decode(value).map_err(|_| FormatError::Damaged("Aegis"))?;
    let db: Db = WipedJson::decode(&file.db).map_err(|_| FormatError::Damaged("Aegis"))?;
    Ok(convert(db, Repeats::Merge))
}

/// Decrypts an encrypted vault with `password`.
pub fn read_encrypted(value: &Value, password: &str) -> Result<Imported, FormatError> {
    read_encrypted_with(value, |salt, n, r, p| {
        scrypt_key(password, salt, n.trailing_zeros() as u8, r, p).map(Some)
    })
}

/// Decrypts a file written with [`write_with_slot_key`], with the stored
/// key instead of the passphrase (no scrypt: a backup is checked in
/// milliseconds).
pub fn read_with_slot_key(bytes: &[u8], slot_key: &SlotKey) -> Result<(Imported, Carried), FormatError> {
    let json = WipedJson::parse(bytes).map_err(|e| e.damaged("Aegis"))?;
    // A backup is checked against the vault account for account: read as
    // written, a repeat included.
    read_carrying(&json, Repeats::Keep, |salt, _, _, _| {
        Ok((salt == slot_key.salt.as_slice()).then(|| Zeroizing::new(*slot_key.key)))
    })
}

/// The scrypt-derived key of a password slot and its salt: what writing a
/// new file needs once the passphrase has been typed. Keeping it (in the
/// system keychain) lets backups be written without asking again; only the
/// passphrase can derive it anew, and only it (or this key) opens the files.
pub struct SlotKey {
    salt: [u8; 32],
    key: Zeroizing<[u8; 32]>,
}

impl SlotKey {
    /// Derives a new slot key (a fresh salt) from `password`.
    pub fn derive(password: &str) -> Result<SlotKey, FormatError> {
        let salt: [u8; 32] = random()?;
        let key = scrypt_key(password, &salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)?;
        Ok(SlotKey { salt, key })
    }

    /// The slot key of a file Twofold wrote (its own scrypt parameters), from
    /// the passphrase: how a machine without the stored key opens backups,
    /// deriving once for every file that shares the salt.
    pub fn recover(bytes: &[u8], password: &str) -> Result<SlotKey, FormatError> {
        let json = WipedJson::parse(bytes).map_err(|e| e.damaged("Aegis"))?;
        let file: File = WipedJson::decode(&json).map_err(|_| FormatError::Damaged("Aegis"))?;
        let slot = file.header.slots.as_deref().unwrap_or_default().iter().find(|s| s.kind == 1);
        let slot = slot.ok_or(FormatError::Damaged("Aegis"))?;
        let ours = (slot.n, slot.r, slot.p) == (Some(1 << SCRYPT_LOG_N), Some(SCRYPT_R), Some(SCRYPT_P));
        let salt = slot.salt.as_deref().and_then(hex).and_then(|s| <[u8; 32]>::try_from(s).ok());
        let (true, Some(salt)) = (ours, salt) else { return Err(FormatError::Damaged("Aegis")) };
        let key = SlotKey { salt, key: scrypt_key(password, &salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)? };
        read_with_slot_key(bytes, &key)?;
        Ok(key)
    }

    /// Salt then key, 64 bytes, for the keychain.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(64));
        out.extend_from_slice(&self.salt);
        out.extend_from_slice(self.key.as_ref());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<SlotKey> {
        let (salt, key) = (bytes.get(..32)?, bytes.get(32..64)?);
        Some(SlotKey { salt: salt.try_into().ok()?, key: Zeroizing::new(key.try_into().ok()?) })
    }
}

/// Decrypts with whatever `slot_key(salt, n, r, p)` gives for each password
/// slot (`None`: not this slot).
fn read_encrypted_with(
    value: &Value,
    slot_key: impl Fn(&[u8], u64, u32, u32) -> Result<Option<Zeroizing<[u8; 32]>>, FormatError>,
) -> Result<Imported, FormatError> {
    read_carrying(value, Repeats::Merge, slot_key).map(|(imported, _)| imported)
}

/// [`read_encrypted_with`], and what the file carries beside the accounts.
fn read_carrying(
    value: &Value,
    repeats: Repeats,
    slot_key: impl Fn(&[u8], u64, u32, u32) -> Result<Option<Zeroizing<[u8; 32]>>, FormatError>,
) -> Result<(Imported, Carried), FormatError> {
    let file: File = WipedJson::decode(value).map_err(|_| FormatError::Damaged("Aegis"))?;
    let slots = file.header.slots.as_deref().unwrap_or_default();
    let params = file.header.params.as_ref().ok_or(FormatError::Damaged("Aegis"))?;
    let mut master = None;
    let password_slots: Vec<&Slot> = slots.iter().filter(|s| s.kind == 1).collect();
    if password_slots.len() > MAX_PASSWORD_SLOTS || !slots_are_affordable(&password_slots) {
        return Err(FormatError::TooCostly("Aegis"));
    }
    for slot in password_slots {
        let (Some(n), Some(r), Some(p), Some(salt)) = (slot.n, slot.r, slot.p, slot.salt.as_deref()) else {
            continue;
        };
        if !n.is_power_of_two() || n < 2 || r == 0 || p == 0 {
            return Err(FormatError::Damaged("Aegis"));
        }
        if !scrypt_is_affordable(n, r, p) {
            return Err(FormatError::TooCostly("Aegis"));
        }
        let salt = hex(salt).ok_or(FormatError::Damaged("Aegis"))?;
        let Some(key) = slot_key(&salt, n, r, p)? else { continue };
        let wrapped = hex(&slot.key).ok_or(FormatError::Damaged("Aegis"))?;
        if let Some(opened) = open_gcm(&key, &slot.key_params, &wrapped)? {
            master = Some(opened);
            break;
        }
    }
    let master = master.ok_or(FormatError::WrongPassphrase)?;
    let master: Zeroizing<[u8; 32]> =
        Zeroizing::new(master.as_slice().try_into().map_err(|_| FormatError::Damaged("Aegis"))?);
    let ciphertext = file
        .db
        .as_str()
        .and_then(|db| base64::engine::general_purpose::STANDARD.decode(db).ok())
        .ok_or(FormatError::Damaged("Aegis"))?;
    let plaintext = open_gcm(&master, params, &ciphertext)?.ok_or(FormatError::Damaged("Aegis"))?;
    super::wiped_json::check_size(&plaintext)?;
    let mut db: Db = serde_json::from_slice(&plaintext).map_err(|_| FormatError::Damaged("Aegis"))?;
    let carried = db.twofold.take().unwrap_or_default();
    Ok((convert(db, repeats), carried))
}

/// The encrypted bundle for `accounts` under `password`.
pub fn write_encrypted(accounts: &[Account], password: &str) -> Result<Vec<u8>, FormatError> {
    write_with_slot_key(accounts, &SlotKey::derive(password)?)
}

/// An encrypted vault whose one password slot is `slot_key`'s: opened by
/// that key's passphrase, as any Aegis file. Each file has a master key of
/// its own.
pub fn write_with_slot_key(accounts: &[Account], slot_key: &SlotKey) -> Result<Vec<u8>, FormatError> {
    write_carrying(accounts, None, slot_key)
}

/// [`write_with_slot_key`], carrying `carried` beside the accounts (a backup).
pub fn write_carrying(
    accounts: &[Account],
    carried: Option<&Carried>,
    slot_key: &SlotKey,
) -> Result<Vec<u8>, FormatError> {
    let mut db = to_db(accounts);
    db.twofold = carried.cloned();
    let db = crate::sized::json(&db).map_err(|_| FormatError::Internal)?;
    let master: Zeroizing<[u8; 32]> = Zeroizing::new(random()?);
    let salt = slot_key.salt;
    let (wrapped, key_params) = seal_gcm(&slot_key.key, master.as_ref())?;
    let (ciphertext, params) = seal_gcm(&master, &db)?;
    let file = File {
        version: 1,
        header: Header {
            slots: Some(vec![Slot {
                kind: 1,
                uuid: Uuid::new_v4().to_string(),
                key: hex_string(&wrapped),
                key_params,
                n: Some(1 << SCRYPT_LOG_N),
                r: Some(SCRYPT_R),
                p: Some(SCRYPT_P),
                salt: Some(hex_string(&salt)),
                repaired: Some(true),
            }]),
            params: Some(params),
        },
        db: Value::String(base64::engine::general_purpose::STANDARD.encode(ciphertext)).into(),
    };
    serde_json::to_vec_pretty(&file).map_err(|_| FormatError::Internal)
}

/// A plain (unencrypted) Aegis vault: for people who need one, behind a warning.
pub fn write_plain(accounts: &[Account]) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    let db = serde_json::to_value(to_db(accounts)).map_err(|_| FormatError::Internal)?;
    let file = File { version: 1, header: Header::default(), db: db.into() };
    crate::sized::json_pretty(&file).map_err(|_| FormatError::Internal)
}

fn to_db(accounts: &[Account]) -> Db {
    let mut groups: Vec<Group> = Vec::new();
    let entries = accounts
        .iter()
        .map(|a| {
            let group_ids = a
                .tags
                .iter()
                .map(|tag| match groups.iter().find(|g| &g.name == tag) {
                    Some(g) => g.uuid.clone(),
                    None => {
                        let uuid = Uuid::new_v4().to_string();
                        groups.push(Group { uuid: uuid.clone(), name: tag.clone() });
                        uuid
                    }
                })
                .collect();
            let (kind, period, counter) = match a.otp.kind {
                Kind::Totp { period } => ("totp", Some(period), None),
                Kind::Hotp { counter } => ("hotp", None, Some(counter)),
                Kind::Steam => ("steam", Some(Otp::STEAM_PERIOD), None),
            };
            Entry {
                kind: kind.into(),
                uuid: a.id.to_string(),
                name: a.name.clone(),
                issuer: a.issuer.clone(),
                note: a.notes.clone(),
                favorite: a.pinned,
                icon: None,
                info: Info {
                    secret: a.otp.secret.to_base32(),
                    algo: a.otp.algorithm.as_str().into(),
                    digits: a.otp.digits,
                    period,
                    counter,
                },
                groups: group_ids,
                twofold: Some(Extra {
                    created: a.created,
                    updated: a.updated,
                    recovery_codes: a.recovery_codes.clone(),
                    other_ways: a.other_ways.clone(),
                    icon: a.icon.clone(),
                }),
            }
        })
        .collect();
    Db { version: 3, entries, groups, twofold: None }
}

fn convert(db: Db, repeats: Repeats) -> Imported {
    let convert = |e: &&Entry| entry_account(e, &db.groups);
    match repeats {
        Repeats::Merge => Imported::from_entries(&db.entries, |e| (&e.issuer, &e.name), convert),
        Repeats::Keep => Imported::from_every_entry(&db.entries, |e| (&e.issuer, &e.name), convert),
    }
}

/// Whether entries with the same codes become one account (an import) or
/// are kept as written (a backup, checked against the vault).
#[derive(Clone, Copy)]
enum Repeats {
    Merge,
    Keep,
}

/// A string field that may be `null`: empty.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// Issuer and name; an entry from another app with no issuer whose name is
/// `Issuer:name` (what a link's label holds) is split as a link's label is.
/// Twofold's own entries (with their `twofold` object) are kept as written:
/// an account named `host:22` with no issuer stays so.
fn names(entry: &Entry) -> (&str, &str) {
    let (issuer, name) = (entry.issuer.trim(), entry.name.trim());
    if issuer.is_empty() && entry.twofold.is_none() {
        if let Some((prefix, rest)) = name.split_once(':') {
            if !prefix.trim().is_empty() && !rest.trim().is_empty() {
                return (prefix.trim(), rest.trim());
            }
        }
    }
    (issuer, name)
}

fn entry_account(entry: &Entry, groups: &[Group]) -> Result<Account, EntryProblem> {
    let secret = Secret::from_base32(&entry.info.secret)?;
    let algorithm = super::algorithm(Some(&entry.info.algo))?;
    let kind = match entry.kind.as_str() {
        "totp" => Kind::Totp { period: entry.info.period.unwrap_or(Otp::DEFAULT_PERIOD) },
        "hotp" => Kind::Hotp { counter: entry.info.counter.unwrap_or(0) },
        "steam" => Kind::Steam,
        _ => return Err(EntryProblem::UnsupportedType),
    };
    let otp = Otp::new(secret, algorithm, entry.info.digits, kind)?;
    let extra = entry.twofold.as_ref();
    let (issuer, name) = names(entry);
    let mut account = Account::new(issuer, name, otp, extra.map_or(0, |e| e.created));
    if let Ok(id) = Uuid::parse_str(&entry.uuid) {
        account.id = id;
    }
    account.notes = entry.note.clone();
    account.pinned = entry.favorite;
    let names: Vec<String> = entry
        .groups
        .iter()
        .filter_map(|id| groups.iter().find(|g| &g.uuid == id))
        .map(|g| g.name.clone())
        .collect();
    account.tags = crate::account::clean_tags(&names);
    if let Some(extra) = extra {
        // Only what `recovery::parse` would have kept: a crafted bundle's
        // "code" could hold terminal escape sequences, or a page of text.
        account.recovery_codes =
            extra.recovery_codes.iter().filter(|c| crate::recovery::is_code(&c.code)).cloned().collect();
        account.other_ways = extra.other_ways.clone();
        account.updated = extra.updated;
        account.icon = extra.icon.clone();
    }
    Ok(account)
}

/// Password slots tried at most: Aegis writes one (plus biometric slots).
const MAX_PASSWORD_SLOTS: usize = 4;

/// The most scrypt work (N·r·p block operations) one file may ask for, all
/// its slots together: 8× Twofold's own (N=2^16, r=8, p=1), 16× Aegis's
/// (N=2^15). A wrong passphrase tries every slot, so a budget per slot
/// alone would let four slots ask for 32×.
const MAX_SCRYPT_WORK: u128 = 8 << (SCRYPT_LOG_N + 3);

/// scrypt needs 128·N·r bytes and N·r·p block operations. Aegis writes
/// N=2^15, r=8, p=1 (32 MiB) and Twofold N=2^16 (64 MiB); allow up to
/// 256 MiB and [`MAX_SCRYPT_WORK`], no more.
fn scrypt_is_affordable(n: u64, r: u32, p: u32) -> bool {
    // In u128: a crafted N near 2^64 must not overflow into "affordable".
    let (n, r, p) = (u128::from(n), u128::from(r), u128::from(p));
    128 * n * r <= 256 << 20 && n * r * p <= MAX_SCRYPT_WORK
}

/// Whether trying every password slot stays within [`MAX_SCRYPT_WORK`]
/// (slots without parameters are skipped, and cost nothing).
fn slots_are_affordable(slots: &[&Slot]) -> bool {
    let work = slots.iter().filter_map(|s| {
        let (n, r, p, _salt) = (s.n?, s.r?, s.p?, s.salt.as_ref()?);
        // Under 2^64 · 2^32 · 2^32: fits in u128; the sum saturates.
        Some(u128::from(n) * u128::from(r) * u128::from(p))
    });
    work.fold(0u128, u128::saturating_add) <= MAX_SCRYPT_WORK
}

fn scrypt_key(
    password: &str,
    salt: &[u8],
    log_n: u8,
    r: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>, FormatError> {
    let params = scrypt::Params::new(log_n, r, p, 32).map_err(|_| FormatError::Damaged("Aegis"))?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), salt, &params, key.as_mut()).map_err(|_| FormatError::Internal)?;
    Ok(key)
}

/// `Ok(None)` when the tag does not verify (wrong key); `Err` when the
/// parameters themselves are malformed.
fn open_gcm(
    key: &[u8; 32],
    params: &KeyParams,
    ciphertext: &[u8],
) -> Result<Option<Zeroizing<Vec<u8>>>, FormatError> {
    let nonce = hex(&params.nonce).filter(|n| n.len() == 12).ok_or(FormatError::Damaged("Aegis"))?;
    let tag = hex(&params.tag).filter(|t| t.len() == 16).ok_or(FormatError::Damaged("Aegis"))?;
    let mut sealed = ciphertext.to_vec();
    sealed.extend_from_slice(&tag);
    let cipher = Aes256Gcm::new(key.into());
    Ok(cipher.decrypt(Nonce::from_slice(&nonce), Payload { msg: &sealed, aad: &[] }).ok().map(Zeroizing::new))
}

fn seal_gcm(key: &[u8; 32], plaintext: &[u8]) -> Result<(Vec<u8>, KeyParams), FormatError> {
    let nonce: [u8; 12] = random()?;
    let cipher = Aes256Gcm::new(key.into());
    let mut sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad: &[] })
        .map_err(|_| FormatError::Internal)?;
    let tag = sealed.split_off(sealed.len() - 16);
    Ok((sealed, KeyParams { nonce: hex_string(&nonce), tag: hex_string(&tag) }))
}

fn random<const N: usize>() -> Result<[u8; N], FormatError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|_| FormatError::Internal)?;
    Ok(out)
}

fn hex(text: &str) -> Option<Vec<u8>> {
    data_encoding::HEXLOWER_PERMISSIVE.decode(text.as_bytes()).ok()
}

fn hex_string(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}
