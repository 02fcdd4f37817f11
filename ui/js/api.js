// The only module that talks to Rust. One function per command; failures
// are rethrown as AppError {code, message}. One `on…` function per event
// Rust sends (`src-tauri/src/events.rs`); handlers get the payload.

export class AppError extends Error {
  constructor(code, message, detail, seconds) {
    super(message);
    this.code = code;
    this.detail = detail;
    this.seconds = seconds;
  }
}

function appError(e) {
  if (e && typeof e === "object" && "code" in e) return new AppError(e.code, e.message, e.detail, e.seconds);
  return new AppError("internal", String(e));
}

async function call(command, args, options) {
  try {
    return await window.__TAURI__.core.invoke(command, args, options);
  } catch (e) {
    throw appError(e);
  }
}

const on = (event, handler) => window.__TAURI__.event.listen(event, (e) => handler(e.payload));

export const openVault = () => call("open_vault");
export const createPassphraseVault = (passphrase) => call("create_passphrase_vault", { passphrase });
export const unlockVault = (passphrase) => call("unlock_vault", { passphrase });
export const restorePrevious = () => call("restore_previous");
export const createVaultAnew = () => call("create_vault_anew");
/** `{min_chars}`: the passphrase rule Rust enforces, for the hint. */
export const passphraseRule = () => call("passphrase_rule");
export const listAccounts = (tag = null) => call("list_accounts", { tag });
export const addAccountUri = (uri) => call("add_account_uri", { uri });
export const addAccountManual = (entry) => call("add_account_manual", { entry });
export const renameAccount = (id, issuer, name) => call("rename_account", { id, issuer, name });
export const deleteAccount = (id) => call("delete_account", { id });
export const nextHotp = (id) => call("next_hotp", { id });
export const systemLocale = () => call("system_locale");
/** The language the page shows: the tray and Rust's own dialogs speak it. */
export const setLanguage = (lang) => call("set_language", { lang });
/** The account's code to the clipboard; with `next`, the one that follows it. */
export const copyCode = (id, next = false) => call("copy_code", { id, next });
export const setPinned = (id, pinned) => call("set_pinned", { id, pinned });
export const setTags = (id, tags) => call("set_tags", { id, tags });
export const setIcon = (id, icon) => call("set_icon", { id, icon });
export const listIcons = () => call("list_icons");
export const setListOrder = (order) => call("set_list_order", { order });
export const moveAccount = (id, other) => call("move_account", { id, other });

/** Sends a file (a screenshot or another app's export) as raw bytes, no
 * base64 detour; `name` labels messages. Encrypted files answer
 * `needs_passphrase_file`: then `unlockFile`. */
export const previewFile = (bytes, name) =>
  call("preview_file", bytes, { headers: { "x-twofold-source": encodeURIComponent(name) } });
export const unlockFile = (passphrase) => call("unlock_file", { passphrase });
export const pasteFromClipboard = () => call("paste_from_clipboard");
export const scanText = (text) => call("scan_text", { text });
export const enrollmentPreview = () => call("enrollment_preview");
export const confirmAdd = () => call("confirm_add");
export const cancelEnrollment = () => call("cancel_enrollment");
export const scanScreen = () => call("scan_screen");
export const chooseEnrollment = (index, chosen) => call("choose_enrollment", { index, chosen });
export const transferStatus = () => call("transfer_status");
export const exportBundle = (passphrase) => call("export_bundle", { passphrase });
export const verifyBundle = (passphrase) => call("verify_bundle", { passphrase });
export const phoneExport = () => call("phone_export");
export const accountQr = (id) => call("account_qr", { id });
export const exportPlain = (format) => call("export_plain", { format });
export const accountDetails = (id) => call("account_details", { id });
export const saveRecoveryCodes = (id, text) => call("save_recovery_codes", { id, text });
export const useRecoveryCode = (id, index) => call("use_recovery_code", { id, index });
export const copyRecoveryCode = (id, index) => call("copy_recovery_code", { id, index });
export const saveWaysIn = (id, ways) => call("save_ways_in", { id, ways });
export const checklist = () => call("checklist");
export const checkClock = () => call("check_clock");
export const setClockCorrection = (on) => call("set_clock_correction", { on });
export const saveClockSettings = (settings) => call("save_clock_settings", { settings });
/** Shows the window: the page calls it once its first screen is drawn.
 * Once Rust has answered, the page is marked (`data-shown="asked"`), a state
 * a test can wait for: from then on only the person shows a hidden window. */
export const pageReady = () =>
  call("page_ready").then(() => { document.documentElement.dataset.shown = "asked"; });
/** Zooms this window's page to `level` (1 = 100 %). */
export const setZoom = (level) => call("set_zoom", { level });
export const preferences = () => call("preferences");
export const savePreferences = (changes) => call("save_preferences", { changes });
/** Turns the app lock on or changes it (`next`), or off (`next` null). */
export const setLockPassphrase = (current, next) => call("set_lock_passphrase", { current, new: next });
export const lockApp = () => call("lock_app");
export const unlockApp = (passphrase) => call("unlock_app", { passphrase });
/** `{system_unlock}`: the system's way in on the lock screen ("windows_hello",
 * "touch_id", "system_password"), or null. */
export const lockOptions = () => call("lock_options");
/** Unlocks when the system confirms the person (its own prompt). */
export const unlockWithSystem = () => call("unlock_with_system");
/** Lets the system unlock too (`on`), which needs the lock's passphrase. */
export const setSystemUnlock = (current, on) => call("set_system_unlock", { current, on });
export const stillHere = () => call("still_here");
/** Quick search's accounts: names and tags to search, no codes. */
export const quickNames = () => call("quick_names");
export const quickCopy = (id) => call("quick_copy", { id });
export const quickClose = () => call("quick_close");
export const openMain = () => call("open_main");
export const setQuickShortcut = (shortcut) => call("set_quick_shortcut", { shortcut });
/** `{on, suggested_name, status, conflicts, problems, error}`: sync as Rust sees it. */
export const syncStatus = () => call("sync_status");
/** The folder is chosen, and the choice confirmed, in native dialogs: `null` if cancelled. */
export const enableSync = (passphrase, name) => call("enable_sync", { passphrase, name });
/** `decision`: null (a round now), "apply" (held changes, confirmed natively) or "keep". */
export const syncNow = (decision = null) => call("sync_now", { decision });
export const resolveSyncConflict = (id, keep) => call("resolve_sync_conflict", { id, keep });
export const removeSyncDevice = (device) => call("remove_sync_device", { device });
export const disableSync = () => call("disable_sync");
export const backupStatus = () => call("backup_status");
/** Turns backups on, into Documents/Twofold Backups or (`choose`) a folder
 * the person picks in a native dialog; null if they cancelled. */
export const enableBackups = (passphrase, choose) => call("enable_backups", { passphrase, choose });
export const disableBackups = () => call("disable_backups");
export const setBackupRetention = (retention) => call("set_backup_retention", { retention });
export const restorePoints = () => call("restore_points");
export const restorePoint = (id) => call("restore_point", { id });
/** When the vault cannot open: a new one from the backups folder (default,
 * or `choose` one in a native dialog); resolves to the accounts restored, or
 * null if the dialog was cancelled. */
export const startOverFromBackups = (passphrase, choose) =>
  call("start_over_from_backups", { passphrase, choose });

/** The vault changed (here, in another process, opened or replaced). */
export const onVaultChanged = (handler) => on("vault-changed", handler);
export const onAppLocked = (handler) => on("app-locked", handler);
export const onSyncStatus = (handler) => on("sync-status", handler);
export const onBackupStatus = (handler) => on("backup-status", handler);
/** Dropped files or the tray's scan are being read (`inputs` of them). */
export const onScanStarted = (handler) => on("scan-started", handler);
/** What they gave: `handler(error, preview)`, the error an AppError as a
 * command's would be. */
export const onScanFinished = (handler) =>
  on("scan-finished", (p) => handler(p?.error ? appError(p.error) : null, p?.preview));
/** Files dragged over the window (true) or away (false). */
export const onDropHover = (handler) => on("drop-hover", handler);
export const onClock = (handler) => on("clock", handler);
export const onQuickOpened = (handler) => on("quick-opened", handler);
/** Tells Rust the first codes are on screen (it prints when benchmarked);
 * a benchmark signal, so a failure is never shown. */
export const firstCodesPainted = () => window.__TAURI__.event.emit("first-codes-painted").catch(() => {});
