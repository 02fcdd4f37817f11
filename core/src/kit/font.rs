//! Fonts for the kit. English is set in PDF's built-in Helvetica (every
//! PDF reader has it, so an English kit needs no font from the system);
//! Japanese in a system font with Japanese glyphs, embedded as a subset of
//! only the glyphs printed (a CJK font is 5 to 50 MB; the subset, tens of
//! KB). No font is bundled: the system's are free to embed and already
//! there, and a Japanese kit without one fails naming what to install, never
//! falling back to English.

use std::path::{Path, PathBuf};

use super::KitError;

/// Where systems keep a Japanese font, with the face to use in a
/// collection (`.ttc`): the first one found is used.
const CANDIDATES: &[(&str, u32)] = &[
    // Debian/Ubuntu fonts-ipafont-gothic (what `scripts/install-deps` installs).
    ("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf", 0),
    ("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf", 0),
    ("/usr/share/fonts/ipa-gothic/ipag.ttf", 0),
    ("/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf", 0),
    ("/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf", 0),
    // Noto Sans CJK: face 0 of the collection is the Japanese one.
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 0),
    // Windows.
    ("C:\\Windows\\Fonts\\YuGothM.ttc", 0),
    ("C:\\Windows\\Fonts\\meiryo.ttc", 0),
    ("C:\\Windows\\Fonts\\msgothic.ttc", 0),
    // macOS.
    ("/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc", 0),
    ("/System/Library/Fonts/Hiragino Sans GB.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
];

/// What to install when none is found, by system.
const INSTALL: &str = if cfg!(target_os = "windows") {
    "install the Japanese supplemental fonts (Settings › Apps › Optional features › Japanese Supplemental Fonts)"
} else if cfg!(target_os = "macos") {
    "install the Hiragino fonts (they come with macOS; restore them from Font Book)"
} else {
    "install the IPA Gothic font (Debian and Ubuntu: apt install fonts-ipafont-gothic; Fedora: dnf install ipa-gothic-fonts)"
};

/// Fonts are large but bounded: the largest CJK collections are ~60 MB.
const MAX_FONT_BYTES: usize = 96 << 20;

/// A system font read into memory, with the face used.
pub(super) struct SystemFont {
    pub data: Vec<u8>,
    pub index: u32,
    pub path: PathBuf,
    /// Units per em, and whether its outlines are CFF (not TrueType).
    pub units_per_em: f32,
    pub cff: bool,
    pub ascent: f32,
    pub descent: f32,
    pub bbox: [f32; 4],
}

impl SystemFont {
    /// The first Japanese font found on this system.
    pub fn find_japanese() -> Result<SystemFont, KitError> {
        for (path, index) in CANDIDATES {
            if let Ok(font) = SystemFont::load(Path::new(path), *index) {
                return Ok(font);
            }
        }
        Err(KitError::NoFont { install: INSTALL })
    }

    /// A font file and face, refused unless it has Japanese glyphs.
    pub fn load(path: &Path, index: u32) -> Result<SystemFont, KitError> {
        let bad = || KitError::BadFont { path: path.to_path_buf() };
        let data = crate::fs::read_bounded(path, MAX_FONT_BYTES).map_err(|_| bad())?;
        // The font is public, not a secret: out of the zeroizing buffer.
        let data = data.to_vec();
        let (units_per_em, cff, ascent, descent, bbox) = {
            let face = ttf_parser::Face::parse(&data, index).map_err(|_| bad())?;
            if face.glyph_index('あ').is_none()
                || face.glyph_index('漢').is_none()
                || face.glyph_index('A').is_none()
            {
                return Err(bad());
            }
            let units_per_em = f32::from(face.units_per_em());
            let scale = 1000.0 / units_per_em;
            let b = face.global_bounding_box();
            let bbox = [b.x_min, b.y_min, b.x_max, b.y_max].map(|v| f32::from(v) * scale);
            let (ascent, descent) = (f32::from(face.ascender()) * scale, f32::from(face.descender()) * scale);
            (units_per_em, face.tables().cff.is_some(), ascent, descent, bbox)
        };
        Ok(SystemFont { data, index, path: path.to_path_buf(), units_per_em, cff, ascent, descent, bbox })
    }

    pub fn face(&self) -> Result<ttf_parser::Face<'_>, KitError> {
        ttf_parser::Face::parse(&self.data, self.index)
            .map_err(|_| KitError::BadFont { path: self.path.clone() })
    }
}

/// Helvetica's advance widths (1/1000 em) for ASCII 32–126, from its AFM:
/// what wraps English lines without embedding a font.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' ' to '/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // '0' to '?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // '@' to 'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 'P' to '_'
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // '`' to 'o'
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p' to '~'
];

/// The width of `text` in Helvetica at `size` points; bold is ~6% wider
/// (a margin that keeps wrapped bold lines inside the page).
pub(super) fn helvetica_width(text: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c as u32 {
            32..=126 => u32::from(HELVETICA[c as usize - 32]),
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0 * if bold { 1.06 } else { 1.0 }
}

/// `text` in WinAnsiEncoding, the built-in fonts' encoding; `None` when a
/// character has no place in it (that text needs the embedded font).
pub(super) fn win_ansi(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => Some(c as u8),
            '\u{a0}'..='\u{ff}' => Some(c as u32 as u8),
            '€' => Some(0x80),
            '‚' => Some(0x82),
            '„' => Some(0x84),
            '…' => Some(0x85),
            '‘' => Some(0x91),
            '’' => Some(0x92),
            '“' => Some(0x93),
            '”' => Some(0x94),
            '•' => Some(0x95),
            '–' => Some(0x96),
            '—' => Some(0x97),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_text_needs_no_embedded_font() {
        assert_eq!(win_ansi("Part 3 of 7 · kit A"), Some(b"Part 3 of 7 \xb7 kit A".to_vec()));
        assert_eq!(win_ansi("キット"), None);
        assert!((helvetica_width("Hi", 10.0, false) - 9.44).abs() < 0.01);
    }
}
