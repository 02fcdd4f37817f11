//! Ente Auth encrypted exports: `{"version": 1, "kdfParams": {memLimit,
//! opsLimit, salt}, "encryptedData", "encryptionNonce"}` (Ente's
//! `docs/auth/migration/export.md`). The key is libsodium's crypto_pwhash:
//! Argon2id v1.3, one lane, `opsLimit` passes over `memLimit` bytes; the
//! data is one final-tagged secretstream XChaCha20-Poly1305 chunk whose
//! header is `encryptionNonce`. The plaintext is Ente's plain export, a
//! list of otpauth links (see `uri_list.rs`, which says what it loses).

use base64::Engine;
use serde_json::Value;
use zeroize::Zeroizing;

use super::{crypto, uri_list, FormatError, Imported};

const NAME: &str = "Ente Auth";

/// Ente always spends the same work, 1 GiB × 4 passes, trading memory for
/// passes (256 MiB × 16 first, then 128 MiB × 32 on a phone short of
/// memory). A file may ask for that much work and no more, and for no more
/// memory than Twofold's own vault may (256 MiB): anything beyond is no
/// real export and would take minutes or gigabytes.
const MAX_MEMORY_KIB: u64 = 256 * 1024;
const MAX_WORK_KIB_PASSES: u64 = 1024 * 1024 * 4;

pub fn detect(value: &Value) -> bool {
    value.get("kdfParams").is_some() && value.get("encryptedData").is_some()
}

pub fn read(value: &Value, password: Option<&str>) -> Result<Imported, FormatError> {
    let b64 = |v: &Value| v.as_str().and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok());
    let params = &value["kdfParams"];
    let (Some(mem_limit), Some(ops_limit), Some(salt)) =
        (params["memLimit"].as_u64(), params["opsLimit"].as_u64(), b64(&params["salt"]))
    else {
        return Err(FormatError::Damaged(NAME));
    };
    let (Some(sealed), Some(header)) = (b64(&value["encryptedData"]), b64(&value["encryptionNonce"])) else {
        return Err(FormatError::Damaged(NAME));
    };
    if value["version"].as_u64() != Some(1) || salt.len() != 16 || header.len() != 24 {
        return Err(FormatError::Damaged(NAME));
    }
    if !affordable(mem_limit, ops_limit) {
        return Err(FormatError::TooCostly(NAME));
    }
    let memory_kib = mem_limit / 1024;
    // libsodium's own lower bounds (8 KiB, one pass for Argon2id).
    if memory_kib < 8 || ops_limit < 1 {
        return Err(FormatError::Damaged(NAME));
    }
    let password = password.ok_or(FormatError::NeedsPassphrase(NAME))?;
    // Both fit in u32: bounded by the checks above.
    let (memory_kib, passes) = (memory_kib as u32, ops_limit as u32);
    let key =
        crypto::argon2id(password.as_bytes(), &salt, memory_kib, passes, 1).ok_or(FormatError::Internal)?;
    let plain = open_stream(&key, &header, sealed).ok_or(FormatError::WrongPassphrase)?;
    let text = std::str::from_utf8(&plain).map_err(|_| FormatError::Damaged(NAME))?;
    uri_list::read(text)
}

/// Whether Argon2id over `mem_limit` bytes with `ops_limit` passes stays
/// within what Ente itself asks for.
fn affordable(mem_limit: u64, ops_limit: u64) -> bool {
    let memory_kib = mem_limit / 1024;
    memory_kib <= MAX_MEMORY_KIB && memory_kib.saturating_mul(ops_limit) <= MAX_WORK_KIB_PASSES
}

/// One final-tagged secretstream chunk; `None` when its tag does not verify
/// (a wrong passphrase, or a changed file) or it is not the last chunk.
fn open_stream(key: &[u8; 32], header: &[u8], sealed: Vec<u8>) -> Option<Zeroizing<Vec<u8>>> {
    use crypto_secretstream::{Header, Key, PullStream, Tag};
    let header = Header::try_from(header).ok()?;
    let mut stream = PullStream::init(header, &Key::from(*key));
    let mut buffer = Zeroizing::new(sealed);
    let tag = stream.pull(&mut *buffer, &[]).ok()?;
    (tag == Tag::Final).then_some(buffer)
}

#[cfg(test)]
mod tests {
    use super::affordable;

    #[test]
    fn what_ente_writes_is_affordable_and_nothing_more() {
        const MIB: u64 = 1 << 20;
        assert!(affordable(256 * MIB, 16) && affordable(128 * MIB, 32) && affordable(64 * MIB, 64));
        // Ente's web code starts at 1 GiB × 4: the same work, four times the memory.
        assert!(!affordable(1024 * MIB, 4));
        assert!(!affordable(256 * MIB, 17) && !affordable(u64::MAX, 1) && !affordable(MIB, u64::MAX));
    }
}
