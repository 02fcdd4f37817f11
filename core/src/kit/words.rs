//! Every word printed on a kit, in each [`Language`]. The kit is made by
//! core for the CLI and the window alike, so its words live here rather
//! than in the page's message tables.

use super::Language;

/// The words of one language; `{…}` parts are filled by the functions below.
pub(super) struct Words {
    pub title: &'static str,
    pub keep_safe: &'static str,
    pub what_heading: &'static str,
    /// `{accounts}`.
    pub what: &'static str,
    pub how_heading: &'static str,
    pub steps: [&'static str; 4],
    pub backups_heading: &'static str,
    pub backups_on: &'static str,
    pub backups_off: &'static str,
    pub passphrase_label: &'static str,
    pub passphrase_note: &'static str,
    pub printed_label: &'static str,
    pub new_kit: &'static str,
    pub codes_heading: &'static str,
    pub codes_note: &'static str,
    pub recovery_heading: &'static str,
    pub recovery_warning: &'static str,
    pub recovery_codes: &'static str,
    pub used: &'static str,
    pub other_ways: &'static str,
    pub sms: &'static str,
    pub email: &'static str,
    pub security_key: &'static str,
    pub passkey: &'static str,
    pub nothing_recorded: &'static str,
    /// "kit", before its id.
    pub kit: &'static str,
}

const EN: Words = Words {
    title: "Twofold emergency kit",
    keep_safe: "Keep this paper somewhere safe, away from your computer. With it and its passphrase you can get every account back, even if this computer is lost or broken.",
    what_heading: "What this is",
    what: "The pages that follow hold every account that was in Twofold when this kit was printed ({accounts} accounts), encrypted with the kit's passphrase. Without the passphrase, the QR codes are of no use to anyone who finds them.",
    how_heading: "How to get back in",
    steps: [
        "Install Twofold on any computer.",
        "Open it and choose \"Restore from a kit\".",
        "Scan or photograph every page with QR codes (in any order; Twofold says which parts are still missing).",
        "Type the kit's passphrase, check the accounts shown, and confirm.",
    ],
    backups_heading: "Automatic backups",
    backups_on: "Twofold also keeps encrypted backups, in this folder:",
    backups_off: "Automatic backups were off when this kit was printed.",
    passphrase_label: "Backup passphrase:",
    passphrase_note: "Write it here only if this paper is kept as safely as a passport; otherwise keep it somewhere else you will find.",
    printed_label: "Printed on",
    new_kit: "Accounts added after this date are not in this kit: print a new one when you add some.",
    codes_heading: "Encrypted accounts",
    codes_note: "Scan every code. They open only with the kit's passphrase.",
    recovery_heading: "Recovery codes and other ways in: NOT ENCRYPTED",
    recovery_warning: "Anyone who reads these pages can use these codes to get into your accounts. Keep them as safely as cash, or cut them off and store them apart.",
    recovery_codes: "Recovery codes:",
    used: "(used)",
    other_ways: "Other ways in:",
    sms: "text message to",
    email: "e-mail to",
    security_key: "security key",
    passkey: "passkey",
    nothing_recorded: "none recorded",
    kit: "kit",
};

const JA: Words = Words {
    title: "Twofold 緊急キット",
    keep_safe: "この紙はパソコンから離れた安全な場所に保管してください。この紙とパスフレーズがあれば、パソコンをなくしたり壊したりしても、すべてのアカウントを元に戻せます。",
    what_heading: "これは何か",
    what: "次のページから、このキットを印刷した時点で Twofold に入っていたすべてのアカウント（{accounts} 件）が、キットのパスフレーズで暗号化されて載っています。パスフレーズがなければ、QR コードを拾った人には役に立ちません。",
    how_heading: "元に戻す方法",
    steps: [
        "どのパソコンでもよいので Twofold をインストールします。",
        "Twofold を開き、「キットから復元」を選びます。",
        "QR コードのあるページをすべてスキャンするか撮影します（順番は自由です。足りない部分は Twofold が知らせます）。",
        "キットのパスフレーズを入力し、表示されたアカウントを確かめて確定します。",
    ],
    backups_heading: "自動バックアップ",
    backups_on: "Twofold は暗号化したバックアップも次のフォルダーに保存しています:",
    backups_off: "このキットを印刷したとき、自動バックアップはオフでした。",
    passphrase_label: "バックアップのパスフレーズ:",
    passphrase_note: "この紙をパスポートと同じくらい安全に保管する場合だけ、ここに書いてください。そうでなければ、別の確実な場所に控えてください。",
    printed_label: "印刷日",
    new_kit: "この日より後に追加したアカウントはこのキットに入っていません。追加したら新しいキットを印刷してください。",
    codes_heading: "暗号化されたアカウント",
    codes_note: "すべてのコードをスキャンしてください。キットのパスフレーズがなければ開けません。",
    recovery_heading: "リカバリーコードとその他のログイン方法（暗号化されていません）",
    recovery_warning: "このページを読んだ人は誰でも、これらのコードであなたのアカウントに入れます。現金と同じくらい安全に保管するか、切り離して別に保管してください。",
    recovery_codes: "リカバリーコード:",
    used: "（使用済み）",
    other_ways: "その他のログイン方法:",
    sms: "SMS の送信先",
    email: "メールの送信先",
    security_key: "セキュリティキー",
    passkey: "パスキー",
    nothing_recorded: "記録なし",
    kit: "キット",
};

pub(super) fn words(language: Language) -> &'static Words {
    match language {
        Language::En => &EN,
        Language::Ja => &JA,
    }
}

/// "Part 3 of 7 · kit ABCD2345".
pub(super) fn part_label(language: Language, number: u32, total: u32, kit: &str) -> String {
    match language {
        Language::En => format!("Part {number} of {total} · kit {kit}"),
        Language::Ja => format!("パート {number} / {total} · キット {kit}"),
    }
}

/// "Page 2 of 5".
pub(super) fn page_label(language: Language, number: usize, total: usize) -> String {
    match language {
        Language::En => format!("Page {number} of {total}"),
        Language::Ja => format!("{number} / {total} ページ"),
    }
}

/// The date of `unix_seconds` (UTC): "2026-11-25", "2026年11月25日".
pub(super) fn date(language: Language, unix_seconds: u64) -> String {
    let (y, m, d) = crate::civil::civil_date(unix_seconds / 86_400);
    match language {
        Language::En => format!("{y:04}-{m:02}-{d:02}"),
        Language::Ja => format!("{y}年{m}月{d}日"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_word() {
        for &language in Language::ALL {
            let w = words(language);
            let all = [
                w.title,
                w.keep_safe,
                w.what_heading,
                w.what,
                w.how_heading,
                w.backups_heading,
                w.backups_on,
                w.backups_off,
                w.passphrase_label,
                w.passphrase_note,
                w.printed_label,
                w.new_kit,
                w.codes_heading,
                w.codes_note,
                w.recovery_heading,
                w.recovery_warning,
                w.recovery_codes,
                w.used,
                w.other_ways,
                w.sms,
                w.email,
                w.security_key,
                w.passkey,
                w.nothing_recorded,
            ];
            assert!(all.iter().chain(&w.steps).all(|s| !s.trim().is_empty()), "{language:?}");
            assert!(w.what.contains("{accounts}"), "{language:?}");
        }
        assert!(words(Language::En).recovery_heading.contains("NOT ENCRYPTED"));
        assert_eq!(date(Language::Ja, 1_795_996_800), "2026年11月30日");
        assert_eq!(part_label(Language::En, 3, 7, "ABCD2345"), "Part 3 of 7 · kit ABCD2345");
    }
}
