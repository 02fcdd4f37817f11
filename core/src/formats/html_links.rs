//! Stratum's (Authenticator Pro's) HTML export: a page with one table row
//! per account, its otpauth link in a `<code>` element beside a QR image
//! (Stratum's `HtmlBackup.cs`). The links are read as a list of links (see
//! `uri_list.rs`). Lost: what Stratum could not write as a link (mOTP,
//! Yandex), icons, categories and ranking. The page is searched as text,
//! never parsed as HTML: no scripts, entities beyond the five basic ones,
//! or external references are followed.

use super::{uri_list, FormatError, Imported};

pub fn detect(text: &str) -> bool {
    let head = text.get(..text.len().min(1024)).unwrap_or(text).to_ascii_lowercase();
    (head.contains("<html") || head.contains("<!doctype html")) && text.contains("<code>otpauth://")
}

pub fn read(text: &str) -> Result<Imported, FormatError> {
    // Stratum writes the links unescaped; a page saved again by a browser
    // or an editor may have escaped `&` and the like.
    let links: Vec<String> = text
        .split("<code>")
        .skip(1)
        .filter_map(|part| part.split_once("</code>").map(|(link, _)| link.trim()))
        .filter(|link| link.starts_with("otpauth://"))
        .map(unescape)
        .collect();
    if links.len() > uri_list::MAX_LINKS {
        return Err(FormatError::TooComplex);
    }
    uri_list::read(&links.join("\n"))
}

fn unescape(link: &str) -> String {
    link.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
