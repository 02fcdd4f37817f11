//! The account list: codes, adding by link or by hand, rename, delete, the
//! next HOTP code, and copying a code (in Rust: the code never has to pass
//! through the web view to reach the clipboard).

use serde::Serialize;
use tauri::AppHandle;
use twofold_core::icons::{Icon, IconChoice};
use twofold_core::settings::ListOrder;
use twofold_core::{Account, ManualEntry, OtpauthUri, Summary};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{blocking, Result};
use crate::actions::{self, Copied};
use crate::state::AppState;

/// The list and the (clock-corrected) time it was made for: the window
/// counts down from `now_ms` itself and flips each code to `next_code` at
/// its `changes_at`, so it asks again only once per code boundary.
#[derive(Serialize)]
pub struct Listing {
    now_ms: u64,
    accounts: Vec<Summary>,
    /// Every tag in use, for the filter chips.
    tags: Vec<String>,
    order: ListOrder,
}

/// The list as shown (pinned first, in the chosen order), only the accounts
/// with `tag` when one is chosen; `tags` is every tag in use, for the chips.
#[tauri::command]
pub async fn list_accounts(app: AppHandle, tag: Option<String>) -> Result<Listing> {
    blocking(app, move |s| {
        let now_ms = s.now_ms();
        let now = now_ms / 1000;
        s.with_vault(|v| {
            let accounts = v.listing(now, tag.as_deref());
            Ok(Listing { now_ms, accounts, tags: v.tags(), order: v.meta().list_order })
        })
    })
    .await
}

#[tauri::command]
pub async fn add_account_uri(app: AppHandle, uri: String) -> Result<Summary> {
    let uri = Zeroizing::new(uri);
    let parsed = OtpauthUri::parse(&uri)?;
    blocking(app, move |s| add(s, Account::from_uri(parsed, s.now()))).await
}

#[tauri::command]
pub async fn add_account_manual(app: AppHandle, entry: ManualEntry) -> Result<Summary> {
    blocking(app, move |s| add(s, entry.into_account(s.now())?)).await
}

fn add(s: &AppState, account: Account) -> Result<Summary> {
    let summary = account.summary_at(s.now());
    s.with_vault(|v| Ok(v.add(account)?))?;
    Ok(summary)
}

#[tauri::command]
pub async fn rename_account(app: AppHandle, id: Uuid, issuer: String, name: String) -> Result<()> {
    blocking(app, move |s| s.with_vault(|v| Ok(v.rename(id, &issuer, &name, s.now())?))).await
}

#[tauri::command]
pub async fn delete_account(app: AppHandle, id: Uuid) -> Result<()> {
    blocking(app, move |s| s.with_vault(|v| v.remove(id).map(drop).map_err(Into::into))).await
}

/// Pins an account to the tray menu (or unpins it).
#[tauri::command]
pub async fn set_pinned(app: AppHandle, id: Uuid, pinned: bool) -> Result<()> {
    blocking(app, move |s| s.with_vault(|v| Ok(v.set_pinned(id, pinned, s.now())?))).await
}

/// The account's tags (cleaned in core: trimmed, bounded, each once).
#[tauri::command]
pub async fn set_tags(app: AppHandle, id: Uuid, tags: Vec<String>) -> Result<()> {
    blocking(app, move |s| s.with_vault(|v| Ok(v.set_tags(id, &tags, s.now())?))).await
}

/// The icon an account shows: matched by issuer, none, or one chosen.
#[tauri::command]
pub async fn set_icon(app: AppHandle, id: Uuid, icon: IconChoice) -> Result<()> {
    blocking(app, move |s| s.with_vault(|v| Ok(v.set_icon(id, icon, s.now())?))).await
}

/// Every bundled icon, for choosing one (no account data).
#[tauri::command]
pub fn list_icons() -> &'static [Icon] {
    twofold_core::icons::all()
}

#[tauri::command]
pub async fn next_hotp(app: AppHandle, id: Uuid) -> Result<Summary> {
    blocking(app, move |s| {
        let now = s.now();
        s.with_vault(|v| Ok(v.next_hotp(id, now)?.summary_at(now)))
    })
    .await
}

/// Puts the account's code on the clipboard (`actions::copy_account_code`,
/// the one copy path of the list, the tray and quick search); with `next`,
/// the code that follows the current one.
#[tauri::command]
pub async fn copy_code(app: AppHandle, id: Uuid, next: bool) -> Result<Copied> {
    let which = if next { actions::Which::Next } else { actions::Which::Current };
    blocking(app, move |s| actions::copy_account_code(s, id, which)).await
}

/// How the list is ordered (kept with the vault).
#[tauri::command]
pub async fn set_list_order(app: AppHandle, order: ListOrder) -> Result<()> {
    blocking(app, move |s| s.with_vault(|v| Ok(v.set_list_order(order)?))).await
}

/// Moves an account to where `other` is in the person's own order.
#[tauri::command]
pub async fn move_account(app: AppHandle, id: Uuid, other: Uuid) -> Result<()> {
    blocking(app, move |s| s.with_vault(|v| Ok(v.move_to(id, other)?))).await
}
