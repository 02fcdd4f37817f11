//! Android shared-preferences files: a `<map>` of named, typed values, as
//! FreeOTP, Authy, Battle.net and TOTP Authenticator keep their accounts
//! (and FreeOTP writes its backups). This reads only what such a file
//! holds, so a crafted one cannot make it do more: a DTD is refused
//! (quick-xml never expands one, and Android never writes one), as are
//! entities other than XML's five and character references, nesting below
//! a `<set>`, and more entries than any app keeps.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zeroize::Zeroizing;

use super::FormatError;

const NAME: &str = "an Android app's settings file (XML)";
/// More values than any app's settings hold (a thousand accounts are a
/// thousand and one); each costs at most its share of the bounded input.
const MAX_ENTRIES: usize = 20_000;

/// What kind of value an entry holds, by its element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    /// `int`, `long`, `float` or `boolean`: the value is the `value` attribute.
    Scalar,
    /// A `<set>` of strings: not read (no importer needs one).
    Set,
}

/// One named value. A string's text may hold secrets: it is wiped.
pub struct Pref {
    pub kind: Kind,
    pub name: String,
    pub value: Zeroizing<String>,
}

/// Does the text look like a shared-preferences file (before parsing it)?
pub fn looks_like(text: &str) -> bool {
    let head = &text[..text.len().min(4096)];
    head.contains("<map>") || head.contains("<map/>") || head.contains("<map >")
}

/// The entries of a `<map>`, in file order; `None` when the root is not a
/// `<map>` (some other XML file).
pub fn parse(text: &str) -> Result<Option<Vec<Pref>>, FormatError> {
    let mut reader = Reader::from_str(text);
    let damaged = |_| FormatError::Damaged(NAME);
    let mut prefs = Vec::new();
    let mut seen_root = false;
    // The entry being read (a `<string>` collects its text) and the depth
    // inside the map: 0 at the map's level, 1 inside an entry, 2 in a set's string.
    let mut open: Option<Pref> = None;
    let mut depth = 0usize;
    loop {
        match reader.read_event().map_err(damaged)? {
            Event::DocType(_) => return Err(FormatError::Damaged(NAME)),
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Start(e) if !seen_root => {
                if e.name().as_ref() != "map" {
                    return Ok(None);
                }
                seen_root = true;
            }
            Event::Empty(e) if !seen_root => {
                return Ok((e.name().as_ref() == "map").then(Vec::new));
            }
            Event::Start(e) => {
                depth += 1;
                match depth {
                    1 => open = Some(entry(&e)?),
                    // Only a set holds elements, and only strings.
                    2 if open.as_ref().is_some_and(|p| p.kind == Kind::Set)
                        && e.name().as_ref() == "string" => {}
                    _ => return Err(FormatError::Damaged(NAME)),
                }
            }
            Event::Empty(e) => match depth {
                0 => push(&mut prefs, entry(&e)?)?,
                1 if open.as_ref().is_some_and(|p| p.kind == Kind::Set) => {}
                _ => return Err(FormatError::Damaged(NAME)),
            },
            Event::End(_) => match depth {
                0 => break,
                1 => {
                    depth = 0;
                    if let Some(pref) = open.take() {
                        push(&mut prefs, pref)?;
                    }
                }
                _ => depth -= 1,
            },
            Event::Text(t) => {
                let text = t.xml10_content();
                match open.as_mut() {
                    Some(p) if depth == 1 && p.kind == Kind::String => p.value.push_str(&text),
                    // Indentation between entries, or a set's strings.
                    _ if depth == 2 || text.trim().is_empty() => {}
                    _ => return Err(FormatError::Damaged(NAME)),
                }
            }
            Event::CData(c) => {
                let text = c.xml10_content();
                match open.as_mut() {
                    Some(p) if depth == 1 && p.kind == Kind::String => p.value.push_str(&text),
                    _ => return Err(FormatError::Damaged(NAME)),
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(damaged)? {
                    Some(c) => c,
                    None => predefined(&r).ok_or(FormatError::Damaged(NAME))?,
                };
                match open.as_mut() {
                    Some(p) if depth == 1 && p.kind == Kind::String => p.value.push(c),
                    _ if depth == 2 => {}
                    _ => return Err(FormatError::Damaged(NAME)),
                }
            }
            Event::Eof => {
                if !seen_root {
                    return Ok(None);
                }
                // The map was never closed: a cut-off file.
                return Err(FormatError::Damaged(NAME));
            }
        }
    }
    // Nothing but whitespace and comments may follow the map.
    loop {
        match reader.read_event().map_err(damaged)? {
            Event::Eof => return Ok(Some(prefs)),
            Event::Comment(_) => {}
            Event::Text(t) if t.xml10_content().trim().is_empty() => {}
            _ => return Err(FormatError::Damaged(NAME)),
        }
    }
}

fn push(prefs: &mut Vec<Pref>, pref: Pref) -> Result<(), FormatError> {
    if prefs.len() >= MAX_ENTRIES {
        return Err(FormatError::TooComplex);
    }
    prefs.push(pref);
    Ok(())
}

/// An entry's element: its kind, its `name`, and a scalar's `value`.
fn entry(e: &BytesStart<'_>) -> Result<Pref, FormatError> {
    let attribute = |key: &str| -> Result<Option<String>, FormatError> {
        match e.try_get_attribute(key).map_err(|_| FormatError::Damaged(NAME))? {
            None => Ok(None),
            Some(a) => Ok(Some(
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|_| FormatError::Damaged(NAME))?
                    .into_owned(),
            )),
        }
    };
    let kind = match e.name().as_ref() {
        "string" => Kind::String,
        "int" | "long" | "float" | "boolean" => Kind::Scalar,
        "set" => Kind::Set,
        _ => return Err(FormatError::Damaged(NAME)),
    };
    let name = attribute("name")?.ok_or(FormatError::Damaged(NAME))?;
    let value = match kind {
        Kind::Scalar => attribute("value")?.ok_or(FormatError::Damaged(NAME))?,
        _ => String::new(),
    };
    Ok(Pref { kind, name, value: Zeroizing::new(value) })
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

/// The string entry called `name`, if there is one.
pub fn string<'a>(prefs: &'a [Pref], name: &str) -> Option<&'a str> {
    prefs.iter().find(|p| p.kind == Kind::String && p.name == name).map(|p| p.value.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(Kind, String, String)> {
        parse(text)
            .expect("parses")
            .expect("a map")
            .into_iter()
            .map(|p| (p.kind, p.name, p.value.to_string()))
            .collect()
    }

    #[test]
    fn reads_strings_scalars_and_skips_sets() {
        let text = "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n\
            <int name=\"n\" value=\"13\" />\n\
            <string name=\"a&amp;b\">{&quot;x&quot;:&#49;}<![CDATA[<y>]]></string>\n\
            <set name=\"s\"><string>one</string><string>two&amp;</string></set>\n\
            <string name=\"empty\" />\n</map>\n";
        assert_eq!(
            values(text),
            [
                (Kind::Scalar, "n".into(), "13".into()),
                (Kind::String, "a&b".into(), "{\"x\":1}<y>".into()),
                (Kind::Set, "s".into(), String::new()),
                (Kind::String, "empty".into(), String::new()),
            ]
        );
    }

    #[test]
    fn other_xml_is_not_a_map() {
        assert!(parse("<?xml version='1.0'?><KeePassFile/>").expect("parses").is_none());
        assert!(parse("<root><map/></root>").expect("parses").is_none());
    }

    #[test]
    fn hostile_xml_is_refused() {
        let damaged = Err(FormatError::Damaged(NAME));
        for text in [
            // A DTD, with or without entities that would expand.
            "<?xml version='1.0'?><!DOCTYPE map [<!ENTITY a \"aaaa\">]><map><string name=\"x\">&a;</string></map>",
            "<!DOCTYPE map SYSTEM \"file:///etc/passwd\"><map/>",
            // An unknown entity, elements nested too deep, text where none belongs.
            "<map><string name=\"x\">&nbsp;</string></map>",
            "<map><string name=\"x\"><b>1</b></string></map>",
            "<map><set name=\"s\"><string><b/></string></set></map>",
            "<map>text<string name=\"x\">1</string></map>",
            // Unknown elements, missing names or values, cut off, junk after.
            "<map><script name=\"x\">1</script></map>",
            "<map><string>1</string></map>",
            "<map><int name=\"x\" /></map>",
            "<map><string name=\"x\">1</string>",
            "<map><string name=\"x\">1",
            "<map></map><map></map>",
            "<map><string name=\"x\">1</strin></map>",
        ] {
            assert_eq!(parse(text).map(|_| ()), damaged, "{text}");
        }
        let many = format!("<map>{}</map>", "<int name=\"i\" value=\"1\"/>".repeat(MAX_ENTRIES + 1));
        assert_eq!(parse(&many).map(|_| ()), Err(FormatError::TooComplex));
    }
}
