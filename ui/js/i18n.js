// Every visible string, in English and Japanese. The language follows the
// system unless the person picks one (remembered in localStorage).

const messages = {
  en: {
    "search.placeholder": "Search accounts",
    "add.open": "Add account",
    "settings.language": "Language",
    "settings.languageAuto": "Auto",
    "status.opening": "Opening your vault…",
    "status.unlocking": "Unlocking…",
    "status.creating": "Protecting your vault…",
    "status.restoring": "Restoring the backup…",
    "empty.title": "No accounts yet",
    "empty.body": "When a website shows a QR code to set up two-factor sign-in, copy its setup link (otpauth://…) or the text key below it and add it here.",
    "empty.action": "Add your first account",
    "empty.drop": "You can also drop a screenshot of the QR code here, or paste it with Ctrl+V.",
    "drop.title": "Drop QR code images to add accounts",
    "status.scanning": "Reading QR codes…",
    "add.image": "Choose an image…",
    "add.pasted": "pasted image {n}",
    "add.imageHint": "Or drop a screenshot of the QR code on the window, or paste it with Ctrl+V.",
    "preview.title": "Add these accounts?",
    "preview.none": "No accounts found yet.",
    "preview.more": "Drop or paste more images to add them to this list.",
    "preview.confirm": "Add {count}",
    "preview.duplicate": "Already in Twofold as {name} — will be skipped",
    "preview.batch": "{scanned} of {size} export codes scanned — also scan code {missing}.",
    "preview.repeats": "{count} account(s) appeared more than once and are listed once.",
    "preview.done": "Added {count} account(s)",
    "preview.doneSkipped": "Added {count} account(s); {skipped} already in Twofold",
    "problem.no_code": "{source}: no QR code was found.",
    "problem.unreadable": "{source}: not an image Twofold can read (PNG, JPEG, WebP, GIF or BMP).",
    "problem.too_large": "{source}: the image is too large.",
    "problem.bad_uri": "{source}: the QR code holds a setup link Twofold cannot use.",
    "problem.bad_export": "{source}: the Google Authenticator export could not be read.",
    "problem.web_address": "{source}: this QR code holds a web address, not an authenticator key.",
    "problem.wifi_network": "{source}: this QR code holds Wi-Fi details, not an authenticator key.",
    "problem.contact": "{source}: this QR code holds a contact card, not an authenticator key.",
    "problem.email": "{source}: this QR code holds an e-mail address, not an authenticator key.",
    "problem.phone": "{source}: this QR code holds a phone number, not an authenticator key.",
    "problem.text": "{source}: this QR code holds plain text, not an authenticator key.",
    "search.none": "No account matches “{query}”.",
    "add.title": "Add account",
    "add.tabUri": "Paste link",
    "add.tabManual": "Enter key",
    "add.uriLabel": "Setup link",
    "add.uriHint": "Paste the otpauth:// link from the website’s QR code.",
    "add.issuer": "Service",
    "add.issuerExample": "e.g. GitHub",
    "add.name": "Account",
    "add.nameExample": "e.g. you@example.com",
    "add.secret": "Setup key",
    "add.advanced": "Advanced",
    "add.type": "Type",
    "add.algorithm": "Algorithm",
    "add.digits": "Digits",
    "add.period": "Period (seconds)",
    "add.counter": "Counter",
    "add.submit": "Add",
    "add.done": "Added {name}",
    "kind.totp": "Time-based (TOTP)",
    "kind.hotp": "Counter-based (HOTP)",
    "kind.steam": "Steam Guard",
    "rename.title": "Rename account",
    "delete.title": "Delete {name}?",
    "delete.body": "Codes for this account will no longer be available in Twofold. Make sure you can still sign in another way before deleting it.",
    "delete.confirm": "Delete",
    "delete.done": "Deleted {name}",
    "menu.rename": "Rename",
    "menu.delete": "Delete",
    "menu.open": "More actions",
    "next.title": "Next code",
    "copy.done": "Copied — clears in {seconds} s",
    "copy.hint": "Click to copy",
    "common.cancel": "Cancel",
    "common.save": "Save",
    "common.retry": "Try again",
    "passphrase.label": "Passphrase",
    "passphrase.confirm": "Repeat passphrase",
    "passphrase.mismatch": "The two passphrases differ.",
    "strength.weak": "Too short: use at least 8 characters, ideally several words.",
    "strength.fair": "Fair. A longer passphrase of several words is stronger.",
    "strength.good": "Good.",
    "strength.strong": "Strong.",
    "setup.noKeychainTitle": "No keychain found",
    "setup.noKeychainBody": "Twofold keeps the key to your accounts in the system keychain, but none could be reached on this computer. You can protect your accounts with a passphrase instead; you will type it each time Twofold starts.",
    "setup.createPassphrase": "Protect with passphrase",
    "setup.unlockTitle": "Unlock Twofold",
    "setup.unlockBody": "Your accounts are protected by a passphrase.",
    "setup.unlock": "Unlock",
    "setup.corruptTitle": "The vault file is damaged",
    "setup.corruptBackupBody": "Twofold could not read your vault file. A backup of the previous version is available; restoring it keeps the damaged file aside.",
    "setup.corruptBody": "Twofold could not read your vault file and has no backup of it. Restore your accounts from a transfer bundle.",
    "setup.restore": "Restore the backup",
    "setup.errorTitle": "Twofold could not open your vault",
    "error.uri_not_otpauth": "This is not an otpauth:// setup link.",
    "error.uri_migration": "This is a Google Authenticator export, not a single account.",
    "error.uri_unknown_type": "This link uses an OTP type Twofold does not support.",
    "error.uri_bad_encoding": "The link is garbled (bad percent-encoding).",
    "error.uri_missing_secret": "The link has no secret key in it.",
    "error.uri_algorithm": "The link asks for an unsupported algorithm.",
    "error.secret_empty": "Enter the setup key.",
    "error.secret_not_base32": "The setup key is not valid: it should contain only the letters A–Z and digits 2–7.",
    "error.digits_out_of_range": "Codes must have 6 to 10 digits.",
    "error.period_invalid": "The period must be a whole number of seconds above zero.",
    "error.counter_missing": "A counter-based link needs a counter.",
    "error.counter_invalid": "The counter must be a whole number.",
    "error.entry_no_name": "Enter a service or an account name.",
    "error.duplicate_account": "This account is already in Twofold.",
    "error.no_such_account": "That account no longer exists.",
    "error.not_hotp": "Only counter-based accounts have a next code.",
    "error.wrong_passphrase": "Wrong passphrase.",
    "error.weak_passphrase": "The passphrase must be at least 8 characters long.",
    "error.keychain_unavailable": "No usable keychain was found.",
    "error.keychain_key_missing": "The key to your vault is missing from the system keychain.",
    "error.keychain_key_mismatch": "The key in the system keychain does not open this vault.",
    "error.keychain_error": "The system keychain refused the request.",
    "error.vault_corrupted": "The vault file is damaged.",
    "error.vault_corrupted_backup": "The vault file is damaged; a backup is available.",
    "error.vault_newer_format": "This vault was written by a newer version of Twofold.",
    "error.vault_locked": "The vault is locked.",
    "error.no_data_dir": "No folder for Twofold’s data was found; set TWOFOLD_DATA_DIR.",
    "error.clipboard": "The clipboard could not be used.",
    "error.io": "The vault could not be saved or read.",
    "error.internal": "Something went wrong.",
  },
  ja: {
    "search.placeholder": "アカウントを検索",
    "add.open": "アカウントを追加",
    "settings.language": "言語",
    "settings.languageAuto": "自動",
    "status.opening": "保管庫を開いています…",
    "status.unlocking": "ロックを解除しています…",
    "status.creating": "保管庫を保護しています…",
    "status.restoring": "バックアップを復元しています…",
    "empty.title": "アカウントはまだありません",
    "empty.body": "ウェブサイトで二段階認証の設定用 QR コードが表示されたら、設定用リンク（otpauth://…）またはその下の文字のキーをコピーして、ここに追加してください。",
    "empty.action": "最初のアカウントを追加",
    "empty.drop": "QR コードのスクリーンショットをここにドロップするか、Ctrl+V で貼り付けることもできます。",
    "drop.title": "QR コードの画像をドロップしてアカウントを追加",
    "status.scanning": "QR コードを読み取っています…",
    "add.image": "画像を選択…",
    "add.pasted": "貼り付けた画像 {n}",
    "add.imageHint": "または、QR コードのスクリーンショットをウィンドウにドロップするか、Ctrl+V で貼り付けてください。",
    "preview.title": "これらのアカウントを追加しますか？",
    "preview.none": "アカウントはまだ見つかっていません。",
    "preview.more": "画像をさらにドロップまたは貼り付けると、この一覧に追加されます。",
    "preview.confirm": "{count} 件を追加",
    "preview.duplicate": "{name} としてすでに追加済み（スキップします）",
    "preview.batch": "エクスポートの QR コード {size} 個中 {scanned} 個を読み取りました。{missing} 番も読み取ってください。",
    "preview.repeats": "{count} 件のアカウントが重複していたため、1 件にまとめました。",
    "preview.done": "{count} 件のアカウントを追加しました",
    "preview.doneSkipped": "{count} 件を追加しました（{skipped} 件は追加済み）",
    "problem.no_code": "{source}: QR コードが見つかりませんでした。",
    "problem.unreadable": "{source}: 読み込めない画像です（PNG、JPEG、WebP、GIF、BMP に対応）。",
    "problem.too_large": "{source}: 画像が大きすぎます。",
    "problem.bad_uri": "{source}: この QR コードの設定用リンクは使用できません。",
    "problem.bad_export": "{source}: Google 認証システムのエクスポートを読み込めませんでした。",
    "problem.web_address": "{source}: この QR コードはウェブアドレスで、認証キーではありません。",
    "problem.wifi_network": "{source}: この QR コードは Wi-Fi 情報で、認証キーではありません。",
    "problem.contact": "{source}: この QR コードは連絡先で、認証キーではありません。",
    "problem.email": "{source}: この QR コードはメールアドレスで、認証キーではありません。",
    "problem.phone": "{source}: この QR コードは電話番号で、認証キーではありません。",
    "problem.text": "{source}: この QR コードはテキストで、認証キーではありません。",
    "search.none": "「{query}」に一致するアカウントはありません。",
    "add.title": "アカウントを追加",
    "add.tabUri": "リンクを貼り付け",
    "add.tabManual": "キーを入力",
    "add.uriLabel": "設定用リンク",
    "add.uriHint": "ウェブサイトの QR コードの otpauth:// リンクを貼り付けてください。",
    "add.issuer": "サービス",
    "add.issuerExample": "例: GitHub",
    "add.name": "アカウント",
    "add.nameExample": "例: you@example.com",
    "add.secret": "設定キー",
    "add.advanced": "詳細設定",
    "add.type": "種類",
    "add.algorithm": "アルゴリズム",
    "add.digits": "桁数",
    "add.period": "間隔（秒）",
    "add.counter": "カウンター",
    "add.submit": "追加",
    "add.done": "{name} を追加しました",
    "kind.totp": "時間ベース (TOTP)",
    "kind.hotp": "カウンターベース (HOTP)",
    "kind.steam": "Steam Guard",
    "rename.title": "アカウント名を変更",
    "delete.title": "{name} を削除しますか？",
    "delete.body": "このアカウントのコードは Twofold で使えなくなります。削除する前に、ほかの方法でサインインできることを確認してください。",
    "delete.confirm": "削除",
    "delete.done": "{name} を削除しました",
    "menu.rename": "名前を変更",
    "menu.delete": "削除",
    "menu.open": "その他の操作",
    "next.title": "次のコード",
    "copy.done": "コピーしました（{seconds} 秒後に消去）",
    "copy.hint": "クリックしてコピー",
    "common.cancel": "キャンセル",
    "common.save": "保存",
    "common.retry": "再試行",
    "passphrase.label": "パスフレーズ",
    "passphrase.confirm": "パスフレーズ（確認）",
    "passphrase.mismatch": "2 つのパスフレーズが一致しません。",
    "strength.weak": "短すぎます。8 文字以上、できれば複数の単語にしてください。",
    "strength.fair": "普通です。複数の単語からなる長いパスフレーズのほうが強力です。",
    "strength.good": "良好です。",
    "strength.strong": "強力です。",
    "setup.noKeychainTitle": "キーチェーンが見つかりません",
    "setup.noKeychainBody": "Twofold はアカウントの鍵をシステムのキーチェーンに保管しますが、このコンピューターでは利用できませんでした。代わりにパスフレーズで保護できます。Twofold を起動するたびに入力が必要です。",
    "setup.createPassphrase": "パスフレーズで保護",
    "setup.unlockTitle": "Twofold のロックを解除",
    "setup.unlockBody": "アカウントはパスフレーズで保護されています。",
    "setup.unlock": "ロックを解除",
    "setup.corruptTitle": "保管庫ファイルが壊れています",
    "setup.corruptBackupBody": "保管庫ファイルを読み込めませんでした。以前のバージョンのバックアップがあります。復元しても、壊れたファイルは別名で残ります。",
    "setup.corruptBody": "保管庫ファイルを読み込めず、バックアップもありません。転送バンドルからアカウントを復元してください。",
    "setup.restore": "バックアップを復元",
    "setup.errorTitle": "保管庫を開けませんでした",
    "error.uri_not_otpauth": "otpauth:// の設定用リンクではありません。",
    "error.uri_migration": "これは Google 認証システムのエクスポートで、単一のアカウントではありません。",
    "error.uri_unknown_type": "このリンクの OTP の種類には対応していません。",
    "error.uri_bad_encoding": "リンクが壊れています（パーセントエンコードが不正です）。",
    "error.uri_missing_secret": "リンクに秘密鍵が含まれていません。",
    "error.uri_algorithm": "このリンクのアルゴリズムには対応していません。",
    "error.secret_empty": "設定キーを入力してください。",
    "error.secret_not_base32": "設定キーが正しくありません。A〜Z の英字と 2〜7 の数字だけで構成されます。",
    "error.digits_out_of_range": "コードの桁数は 6〜10 桁にしてください。",
    "error.period_invalid": "間隔は 1 以上の整数（秒）にしてください。",
    "error.counter_missing": "カウンターベースのリンクにはカウンターが必要です。",
    "error.counter_invalid": "カウンターは整数にしてください。",
    "error.entry_no_name": "サービス名またはアカウント名を入力してください。",
    "error.duplicate_account": "このアカウントはすでに Twofold にあります。",
    "error.no_such_account": "そのアカウントはもうありません。",
    "error.not_hotp": "次のコードがあるのはカウンターベースのアカウントだけです。",
    "error.wrong_passphrase": "パスフレーズが違います。",
    "error.weak_passphrase": "パスフレーズは 8 文字以上にしてください。",
    "error.keychain_unavailable": "利用できるキーチェーンが見つかりません。",
    "error.keychain_key_missing": "保管庫の鍵がシステムのキーチェーンにありません。",
    "error.keychain_key_mismatch": "キーチェーンの鍵ではこの保管庫を開けません。",
    "error.keychain_error": "システムのキーチェーンが要求を拒否しました。",
    "error.vault_corrupted": "保管庫ファイルが壊れています。",
    "error.vault_corrupted_backup": "保管庫ファイルが壊れています。バックアップがあります。",
    "error.vault_newer_format": "この保管庫は新しいバージョンの Twofold で作成されています。",
    "error.vault_locked": "保管庫はロックされています。",
    "error.no_data_dir": "データ用のフォルダーが見つかりません。TWOFOLD_DATA_DIR を設定してください。",
    "error.clipboard": "クリップボードを使用できませんでした。",
    "error.io": "保管庫を保存または読み込みできませんでした。",
    "error.internal": "問題が発生しました。",
  },
};

const STORAGE_KEY = "twofold.language";
let current = "en";

export const languages = Object.keys(messages);

export function preference() {
  return localStorage.getItem(STORAGE_KEY) || "auto";
}

let systemTags = [];

/** Tags the system reports (from Rust), then the web view's own, best first. */
export function setSystemTags(tags) {
  systemTags = tags.filter(Boolean);
  setPreference(preference());
}

function systemLanguage() {
  for (const tag of [...systemTags, ...(navigator.languages || [navigator.language || "en"])]) {
    const base = String(tag).toLowerCase().split(/[-_.@]/)[0];
    if (messages[base]) return base;
  }
  return "en";
}

export function setPreference(choice) {
  if (choice === "auto") localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, choice);
  current = choice === "auto" ? systemLanguage() : choice;
  document.documentElement.lang = current;
}

export function t(key, params = {}) {
  const text = messages[current][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

/** Fills every element that names a message key in a data attribute. */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
}

/** The message for a command error: by its code, never by parsing text. */
export function errorText(error) {
  const key = `error.${error?.code}`;
  return messages.en[key] ? t(key) : t("error.internal");
}

setPreference(preference());
