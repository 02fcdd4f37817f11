//! Backup ("recovery") codes as services print them: one per line, numbered
//! (`1. `, `1) `), bulleted, in two columns, comma-separated, with spaces or
//! dashes inside (`1234 5678`, `a1b2c-3d4e5`). Headings and prose are
//! skipped.

/// The codes in `text`, in order, without duplicates.
pub fn parse(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for line in text.lines() {
        // Columns are separated by tabs, commas, semicolons or 2+ spaces; a
        // single space can be part of a code ("1234 5678").
        let line = line.replace(['\t', ',', ';'], "  ");
        for cell in line.split("  ").map(str::trim).filter(|c| !c.is_empty()) {
            let cell = strip_marker(cell);
            let cell: String = cell.split_whitespace().collect::<Vec<_>>().join(" ");
            if looks_like_code(&cell) && !codes.contains(&cell) {
                codes.push(cell);
            }
        }
    }
    codes
}

/// Whether `code` is one code as [`parse`] keeps them: letters and digits,
/// single spaces and dashes, nothing else (no control character). Codes
/// that come in a file (a bundle's) are checked with it before they are kept.
pub fn is_code(code: &str) -> bool {
    looks_like_code(code) && code.split_whitespace().collect::<Vec<_>>().join(" ") == code
}

/// "1. ", "12) ", "- ", "* ", "• ", "☐ " before a code.
fn strip_marker(cell: &str) -> &str {
    let cell = cell.trim_start_matches(['-', '*', '•', '·', '☐', '□', '▢']).trim_start();
    let digits = cell.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        if let Some(rest) = cell[digits..].strip_prefix(['.', ')', ':']) {
            if rest.starts_with(' ') || rest.is_empty() {
                return rest.trim_start();
            }
        }
    }
    cell
}

fn looks_like_code(cell: &str) -> bool {
    let compact: String = cell.chars().filter(|c| *c != ' ' && *c != '-').collect();
    if !(4..=64).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let has_digit = compact.chars().any(|c| c.is_ascii_digit());
    let groups: Vec<&str> = cell.split(' ').collect();
    if groups.len() > 1 {
        // "1234 5678" or "abcd efgh 1234": groups of a code, not words of prose.
        return has_digit && groups.iter().all(|g| g.len() <= 8);
    }
    // A single word of letters only is a code only if it is long and of one
    // case (prose words like "Important" are not).
    has_digit
        || (compact.len() >= 8 && (compact == compact.to_lowercase() || compact == compact.to_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_style() {
        let text = "GitHub recovery codes\n\nbd1a3-7c0fe\n0f5c2-a9e81\n\nKeep them somewhere safe.\n";
        assert_eq!(parse(text), ["bd1a3-7c0fe", "0f5c2-a9e81"]);
    }

    #[test]
    fn google_numbered_two_columns() {
        let text = "1. 1234 5678\t\t6. 2345 6789\n2. 3456 7890        7. 4567 8901\n";
        assert_eq!(parse(text), ["1234 5678", "2345 6789", "3456 7890", "4567 8901"]);
    }

    #[test]
    fn bulleted_dash_codes() {
        let text = "Discord backup codes\n• 1a2b-3c4d\n• 5e6f-7a8b\n* 9c0d-1e2f\n- 3a4b-5c6d\n";
        assert_eq!(parse(text), ["1a2b-3c4d", "5e6f-7a8b", "9c0d-1e2f", "3a4b-5c6d"]);
    }

    #[test]
    fn single_long_recovery_code() {
        let text = "Your recovery code:\nABCDE-FGHIJ-KLMNO-PQRST-UVWXY\n";
        assert_eq!(parse(text), ["ABCDE-FGHIJ-KLMNO-PQRST-UVWXY"]);
    }

    #[test]
    fn comma_separated_lowercase_letters() {
        assert_eq!(
            parse("qwertyuiopas, zxcvbnmasdfg,  lkjhgfdsapoi"),
            ["qwertyuiopas", "zxcvbnmasdfg", "lkjhgfdsapoi"]
        );
    }

    #[test]
    fn numbered_with_parenthesis_and_duplicates() {
        assert_eq!(parse("1) 83920147\n2) 19283746\n3) 83920147\n"), ["83920147", "19283746"]);
    }

    #[test]
    fn what_parse_keeps_is_a_code_and_nothing_else() {
        for code in parse("bd1a3-7c0fe\n1. 1234 5678\nABCDE-FGHIJ-KLMNO\nqwertyuiopas\n") {
            assert!(is_code(&code), "{code}");
        }
        for not in ["\u{1b}]0;pwned\u{7}", "1234\u{1b}[2J", " 1234", "1234  5678", "Important", "12"] {
            assert!(!is_code(not), "{not:?}");
        }
    }

    #[test]
    fn prose_is_not_a_code() {
        assert!(parse("Important: Keep these codes safe.\nEach code can be used once.\n").is_empty());
    }
}
