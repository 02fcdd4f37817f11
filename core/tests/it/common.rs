use std::path::PathBuf;

use twofold_core::{Account, OtpauthUri};

/// `../shared/corpus/<rel>`, beside the repository. A missing corpus fails
/// loudly instead of skipping tests.
pub fn corpus(rel: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus").join(rel);
    assert!(
        path.exists(),
        "test corpus missing at {} (see DEVELOPERS.md: ../shared must sit beside the repository)",
        path.display()
    );
    path
}

pub fn read_json(rel: &str) -> serde_json::Value {
    let path = corpus(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

pub fn account(uri: &str) -> Account {
    Account::from_uri(OtpauthUri::parse(uri).expect("test URI parses"), 1_700_000_000)
}
