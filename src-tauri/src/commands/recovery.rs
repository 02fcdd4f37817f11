//! Recovery ("never locked out"): per-account recovery codes, the other ways
//! in, and notes.

use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use twofold_core::account::OtherWays;
use twofold_core::{recovery, VaultError};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{blocking, Result};
use crate::actions::{copy_text, Copied};
use crate::error::{CommandError, ErrorCode};
use crate::state::AppState;

/// An account's details. Recovery codes are not sent: only whether each is
/// used; copying one goes through Rust like a code.
#[derive(Serialize)]
pub struct Details {
    id: Uuid,
    label: String,
    notes: String,
    other_ways: OtherWays,
    recovery: Vec<bool>,
    left: usize,
    /// Codes saved and at most one left.
    low: bool,
}

fn details(s: &AppState, id: Uuid) -> Result<Details> {
    s.with_vault(|v| {
        let a = v.account(id)?;
        Ok(Details {
            id,
            label: a.display_name(),
            notes: a.notes.clone(),
            other_ways: a.other_ways.clone(),
            recovery: a.recovery_codes.iter().map(|c| c.used_at.is_some()).collect(),
            left: a.recovery_codes_left(),
            low: a.recovery_codes_low(),
        })
    })
}

#[tauri::command]
pub async fn account_details(app: AppHandle, id: Uuid) -> Result<Details> {
    blocking(app, move |s| details(s, id)).await
}

/// Saves the codes a service printed, replacing any saved before.
#[tauri::command]
pub async fn save_recovery_codes(app: AppHandle, id: Uuid, text: String) -> Result<Details> {
    let text = Zeroizing::new(text);
    blocking(app, move |s| {
        let codes = recovery::parse(&text);
        if codes.is_empty() {
            return Err(CommandError::new(
                ErrorCode::RecoveryNoneFound,
                "no recovery codes were found in the text",
            ));
        }
        s.with_vault(|v| Ok(v.set_recovery_codes(id, codes, s.now())?))?;
        details(s, id)
    })
    .await
}

/// The code at `index` of the account's saved codes.
fn saved_code(s: &AppState, id: Uuid, index: usize) -> Result<Zeroizing<String>> {
    s.with_vault(|v| {
        let code = v.account(id)?.recovery_codes.get(index).map(|c| Zeroizing::new(c.code.clone()));
        Ok(code.ok_or(VaultError::NoSuchRecoveryCode)?)
    })
}

#[tauri::command]
pub async fn use_recovery_code(app: AppHandle, id: Uuid, index: usize) -> Result<Details> {
    blocking(app, move |s| {
        let code = saved_code(s, id, index)?;
        s.with_vault(|v| Ok(v.use_recovery_code(id, &code, s.now())?))?;
        details(s, id)
    })
    .await
}

#[tauri::command]
pub async fn copy_recovery_code(app: AppHandle, id: Uuid, index: usize) -> Result<Copied> {
    blocking(app, move |s| copy_text(s, &saved_code(s, id, index)?)).await
}

#[derive(Deserialize)]
pub struct WaysIn {
    other_ways: OtherWays,
    notes: String,
}

/// The other ways in and the notes, in one vault write.
#[tauri::command]
pub async fn save_ways_in(app: AppHandle, id: Uuid, ways: WaysIn) -> Result<Details> {
    blocking(app, move |s| {
        s.with_vault(|v| Ok(v.set_ways_in(id, ways.other_ways, &ways.notes, s.now())?))?;
        details(s, id)
    })
    .await
}
