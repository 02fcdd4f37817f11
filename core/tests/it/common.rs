use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use twofold_core::{Account, OtpauthUri};
pub use twofold_testkit::{corpus, read_json};

/// What a scan found, as plain strings to compare.
pub fn texts(scan: &twofold_core::qr::Scan) -> Vec<&str> {
    scan.texts.iter().map(|t| t.as_str()).collect()
}

pub fn account(uri: &str) -> Account {
    Account::from_uri(OtpauthUri::parse(uri).expect("test URI parses"), 1_700_000_000)
}

fn unhex(text: &str) -> Vec<u8> {
    data_encoding::HEXLOWER_PERMISSIVE.decode(text.as_bytes()).expect("hex")
}

/// Decrypts an Aegis file the way Aegis's docs/vault.md describes, with
/// scrypt and AES-GCM called directly, and returns its database.
pub fn independently_decrypt(file: &serde_json::Value, passphrase: &str) -> serde_json::Value {
    let slot = &file["header"]["slots"][0];
    let n = slot["n"].as_u64().expect("n");
    let params = scrypt::Params::new(n.trailing_zeros() as u8, 8, 1, 32).expect("params");
    let mut slot_key = [0u8; 32];
    scrypt::scrypt(
        passphrase.as_bytes(),
        &unhex(slot["salt"].as_str().expect("salt")),
        &params,
        &mut slot_key,
    )
    .expect("scrypt");
    let open = |key: &[u8], nonce: &str, tag: &str, ciphertext: &[u8]| {
        let mut sealed = ciphertext.to_vec();
        sealed.extend(unhex(tag));
        Aes256Gcm::new_from_slice(key)
            .expect("key")
            .decrypt(Nonce::from_slice(&unhex(nonce)), sealed.as_slice())
    };
    let master = open(
        &slot_key,
        slot["key_params"]["nonce"].as_str().expect("nonce"),
        slot["key_params"]["tag"].as_str().expect("tag"),
        &unhex(slot["key"].as_str().expect("key")),
    )
    .expect("the slot opens with the passphrase");
    let db =
        base64::engine::general_purpose::STANDARD.decode(file["db"].as_str().expect("db")).expect("base64");
    let header = &file["header"]["params"];
    let plain =
        open(&master, header["nonce"].as_str().expect("nonce"), header["tag"].as_str().expect("tag"), &db)
            .expect("the database opens with the master key");
    serde_json::from_slice(&plain).expect("database JSON")
}

/// A fixture this repository made, under `core/tests/fixtures/imports/`.
pub fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/imports/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Every field an account is compared by: issuer, name, kind (with its
/// period or counter), algorithm, digits and the secret.
pub fn fields(a: &Account) -> (String, String, twofold_core::Kind, twofold_core::Algorithm, u8, String) {
    (
        a.issuer.clone(),
        a.name.clone(),
        a.otp.kind,
        a.otp.algorithm,
        a.otp.digits,
        a.otp.secret.to_base32().to_string(),
    )
}
