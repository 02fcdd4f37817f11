//! Moving accounts to a phone by scanning the screen: Google Authenticator
//! migration codes (several accounts per code, in a numbered batch as Google
//! Authenticator makes them) and single-account `otpauth://` codes. Google
//! Authenticator, Aegis, 2FAS and Ente all read both.
//!
//! The migration format has no period and only 6 or 8 digits, so accounts
//! outside that (Steam, 7 or 10 digits, periods other than 30 s) are left
//! out and named; they can still move through their own otpauth code.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::account::Account;
use crate::migration::{encode, Batch};
use crate::otp::Kind;

/// Accounts per migration code, as Google Authenticator does.
pub const ACCOUNTS_PER_CODE: usize = 10;

/// One code to show. The SVG encodes secrets: show it only on request.
#[derive(Serialize)]
pub struct ExportCode {
    /// 1-based position in the batch.
    pub number: u32,
    pub of: u32,
    /// Who is in this code.
    pub accounts: Vec<String>,
    pub svg: Zeroizing<String>,
}

#[derive(Serialize)]
pub struct PhoneExport {
    pub codes: Vec<ExportCode>,
    /// Accounts the migration format cannot carry.
    pub left_out: Vec<String>,
}

/// Whether the migration format can carry the account unchanged.
pub fn fits_migration(account: &Account) -> bool {
    matches!(account.otp.digits, 6 | 8)
        && matches!(account.otp.kind, Kind::Totp { period: 30 } | Kind::Hotp { .. })
}

/// The migration codes for `accounts`, split into numbered codes of
/// [`ACCOUNTS_PER_CODE`].
pub fn migration_codes(accounts: &[Account], batch_id: i32) -> PhoneExport {
    let (batches, left_out) = batches(accounts, batch_id);
    let codes = batches
        .into_iter()
        .map(|code| ExportCode {
            number: code.batch.index + 1,
            of: code.batch.size,
            accounts: code.accounts.iter().map(|a| a.display_name()).collect(),
            svg: render(&code.text),
        })
        .collect();
    PhoneExport { codes, left_out }
}

/// The text of each migration code (what [`migration_codes`] draws), and
/// the accounts left out.
pub fn migration_texts(accounts: &[Account], batch_id: i32) -> (Vec<Zeroizing<String>>, Vec<String>) {
    let (batches, left_out) = batches(accounts, batch_id);
    (batches.into_iter().map(|code| code.text).collect(), left_out)
}

/// One code of a batch before it is drawn.
struct Chunk<'a> {
    batch: Batch,
    accounts: Vec<&'a Account>,
    text: Zeroizing<String>,
}

/// One pass: which accounts fit, how they are split, and each code's text.
fn batches(accounts: &[Account], batch_id: i32) -> (Vec<Chunk<'_>>, Vec<String>) {
    let (fit, left): (Vec<&Account>, Vec<&Account>) = accounts.iter().partition(|a| fits_migration(a));
    let size = u32::try_from(fit.len().div_ceil(ACCOUNTS_PER_CODE)).unwrap_or(u32::MAX);
    let batches = fit
        .chunks(ACCOUNTS_PER_CODE)
        .enumerate()
        .map(|(index, chunk)| {
            let batch = Batch { id: batch_id, index: index as u32, size };
            let uris: Vec<_> = chunk.iter().map(|a| a.to_uri()).collect();
            Chunk { batch, accounts: chunk.to_vec(), text: encode(&uris, batch) }
        })
        .collect();
    (batches, left.iter().map(|a| a.display_name()).collect())
}

/// The single-account `otpauth://` code.
pub fn account_code(account: &Account) -> ExportCode {
    ExportCode {
        number: 1,
        of: 1,
        accounts: vec![account.display_name()],
        svg: render(&account.to_uri().to_uri()),
    }
}

fn qr(text: &str) -> QrCode {
    // Medium error correction: denser codes scan better from screens at L,
    // but M survives glare and a slightly blurry phone camera. (The tests
    // draw codes the same way: `twofold_testkit::qr_modules`.)
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L))
        .expect("export payloads stay far below a QR code's capacity")
}

fn render(text: &str) -> Zeroizing<String> {
    Zeroizing::new(
        qr(text)
            .render::<svg::Color>()
            .min_dimensions(256, 256)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}
