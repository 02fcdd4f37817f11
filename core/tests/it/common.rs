use twofold_core::{Account, OtpauthUri};
pub use twofold_testkit::{corpus, read_json};

pub fn account(uri: &str) -> Account {
    Account::from_uri(OtpauthUri::parse(uri).expect("test URI parses"), 1_700_000_000)
}
