//! The kit's pages, laid out and written as PDF (`pdf-writer`).
//!
//! Layout first, into positioned text runs and filled rectangles; then the
//! fonts are chosen per run (Helvetica for text WinAnsi can encode in an
//! English kit, the system CJK font otherwise), the CJK font is subset to
//! the glyphs used, and the PDF is written. QR codes are vector
//! rectangles, one path per code (filled at once, so no seams show between
//! modules), with a quiet zone of four modules, error correction M, and
//! modules of at least [`MIN_MODULE_MM`].

use std::collections::BTreeSet;
use std::io::Write;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

use super::font::{helvetica_width, win_ansi, SystemFont};
use super::parts::{KitId, Part};
use super::words::{self, Words};
use super::{Kit, KitError, KitRequest, Language};
use crate::account::Account;

/// The smallest module printed: a phone photo of the page still resolves it.
pub const MIN_MODULE_MM: f32 = 0.5;
const QUIET_MODULES: usize = 4;
const MARGIN: f32 = 40.0;
const MM_PER_PT: f32 = 25.4 / 72.0;
/// QR codes on one page: two columns of two.
const COLUMNS: usize = 2;
const ROWS: usize = 2;

/// Which font a run is set in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FontChoice {
    Latin,
    Cjk,
}

struct Run {
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    text: String,
}

#[derive(Default)]
struct Page {
    runs: Vec<Run>,
    /// Filled paths: each a set of rectangles (x, y, w, h).
    paths: Vec<Vec<[f32; 4]>>,
    /// Stroked lines (x1, y1, x2, y2).
    lines: Vec<[f32; 4]>,
}

/// Pages being laid out, with the text cursor.
struct Layout<'a> {
    language: Language,
    words: &'static Words,
    font: Option<&'a SystemFont>,
    face: Option<ttf_parser::Face<'a>>,
    width: f32,
    height: f32,
    pages: Vec<Page>,
    y: f32,
    /// Printed at the top of every page this section adds.
    header: Option<String>,
}

impl<'a> Layout<'a> {
    fn choose(&self, text: &str) -> FontChoice {
        match (self.language, &self.face) {
            (Language::En, _) if win_ansi(text).is_some() => FontChoice::Latin,
            (_, Some(_)) => FontChoice::Cjk,
            (_, None) => FontChoice::Latin,
        }
    }

    fn text_width(&self, text: &str, size: f32, bold: bool) -> f32 {
        match (self.choose(text), &self.face, self.font) {
            (FontChoice::Cjk, Some(face), Some(font)) => {
                let units: f32 = text
                    .chars()
                    .map(|c| {
                        face.glyph_index(c)
                            .and_then(|g| face.glyph_hor_advance(g))
                            .map_or(font.units_per_em / 2.0, f32::from)
                    })
                    .sum();
                units * size / font.units_per_em
            }
            _ => helvetica_width(text, size, bold),
        }
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.height - MARGIN;
        if let Some(header) = self.header.clone() {
            self.paragraph(&header, 13.0, true, 0.0);
            self.y -= 6.0;
        }
    }

    fn put(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let run = Run { x, y, size, bold, text: text.to_owned() };
        self.page().runs.push(run);
    }

    /// Wraps `text` to the page's width less `indent`, at spaces, and
    /// between any two CJK characters.
    fn wrap(&self, text: &str, size: f32, bold: bool, indent: f32) -> Vec<String> {
        let max = self.width - 2.0 * MARGIN - indent;
        let mut lines = Vec::new();
        let mut line = String::new();
        for (unit, spaced) in units(text) {
            let candidate = if line.is_empty() {
                unit.clone()
            } else if spaced {
                format!("{line} {unit}")
            } else {
                format!("{line}{unit}")
            };
            if !line.is_empty() && self.text_width(&candidate, size, bold) > max {
                lines.push(std::mem::take(&mut line));
                line = unit;
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Lines of wrapped text from the cursor down, onto new pages as needed.
    fn paragraph(&mut self, text: &str, size: f32, bold: bool, indent: f32) {
        for line in self.wrap(text, size, bold, indent) {
            if self.y - size < MARGIN + 20.0 {
                self.new_page();
            }
            self.y -= size * 1.25;
            self.put(MARGIN + indent, self.y, size, bold, &line);
        }
        self.y -= size * 0.4;
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }
}

/// Words and CJK characters, each with whether a space stood before it.
fn units(text: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut word = String::new();
    let mut spaced = false;
    let flush = |word: &mut String, spaced: &mut bool, out: &mut Vec<(String, bool)>| {
        if !word.is_empty() {
            out.push((std::mem::take(word), *spaced));
            *spaced = false;
        }
    };
    for c in text.chars() {
        if c == ' ' {
            flush(&mut word, &mut spaced, &mut out);
            spaced = !out.is_empty();
        } else if is_closing(c) && word.is_empty() && !out.is_empty() {
            // Never at a line's start (kinsoku): kept with what it closes.
            if let Some((last, _)) = out.last_mut() {
                last.push(c);
            }
        } else if is_wide(c) {
            flush(&mut word, &mut spaced, &mut out);
            out.push((c.to_string(), spaced));
            spaced = false;
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut spaced, &mut out);
    out
}

/// Punctuation that may not begin a line.
fn is_closing(c: char) -> bool {
    matches!(c, '。' | '、' | '）' | '」' | '』' | '！' | '？' | '：' | '・' | 'ー')
}

/// Characters a line may break before or after (CJK and full-width).
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Lays out and writes the kit.
pub(super) fn write(
    accounts: &[Account],
    parts: &[Part],
    id: &KitId,
    request: &KitRequest<'_>,
) -> Result<Kit, KitError> {
    let font = match request.language {
        Language::Ja => Some(SystemFont::find_japanese()?),
        // English needs the system font only for names WinAnsi cannot
        // encode (on the recovery pages); without one they print as "?".
        Language::En => {
            let needs =
                request.with_recovery_codes && accounts.iter().any(|a| win_ansi(&a.display_name()).is_none());
            let folder = request.backup_folder.is_some_and(|f| win_ansi(&f.display().to_string()).is_none());
            if needs || folder {
                SystemFont::find_japanese().ok()
            } else {
                None
            }
        }
    };
    let face = font.as_ref().map(SystemFont::face).transpose()?;
    let (width, height) = request.paper.size();
    let mut layout = Layout {
        language: request.language,
        words: words::words(request.language),
        font: font.as_ref(),
        face,
        width,
        height,
        pages: vec![Page::default()],
        y: height - MARGIN,
        header: None,
    };
    first_page(&mut layout, accounts.len(), parts.len(), id, request);
    let (qr_version, module_mm) = code_pages(&mut layout, parts, id)?;
    if request.with_recovery_codes {
        recovery_pages(&mut layout, accounts);
    }
    let total = layout.pages.len();
    for n in 0..total {
        let footer = format!(
            "{} · {} · {} {id}",
            layout.words.title,
            words::page_label(request.language, n + 1, total),
            layout.words.kit
        );
        let page = &mut layout.pages[n];
        page.runs.push(Run { x: MARGIN, y: MARGIN - 18.0, size: 8.0, bold: false, text: footer });
    }
    let pdf = render(&layout)?;
    Ok(Kit {
        pdf,
        id: id.clone(),
        accounts: accounts.len(),
        parts: parts.len(),
        pages: total,
        qr_version,
        module_mm,
    })
}

fn first_page(layout: &mut Layout<'_>, accounts: usize, parts: usize, id: &KitId, request: &KitRequest<'_>) {
    let w = layout.words;
    layout.paragraph(w.title, 24.0, true, 0.0);
    layout.gap(4.0);
    layout.paragraph(w.keep_safe, 11.0, false, 0.0);
    layout.gap(8.0);
    layout.paragraph(w.what_heading, 14.0, true, 0.0);
    layout.paragraph(&w.what.replace("{accounts}", &accounts.to_string()), 11.0, false, 0.0);
    layout.gap(8.0);
    layout.paragraph(w.how_heading, 14.0, true, 0.0);
    for (n, step) in w.steps.iter().enumerate() {
        let top = layout.y;
        layout.paragraph(step, 11.0, false, 18.0);
        let y = top - 11.0 * 1.25;
        layout.put(MARGIN, y, 11.0, true, &format!("{}.", n + 1));
    }
    layout.gap(8.0);
    layout.paragraph(w.backups_heading, 14.0, true, 0.0);
    match request.backup_folder {
        Some(folder) => {
            layout.paragraph(w.backups_on, 11.0, false, 0.0);
            layout.paragraph(&folder.display().to_string(), 10.0, false, 18.0);
        }
        None => layout.paragraph(w.backups_off, 11.0, false, 0.0),
    }
    layout.gap(14.0);
    layout.paragraph(w.passphrase_label, 12.0, true, 0.0);
    layout.gap(26.0);
    let line = [MARGIN, layout.y, layout.width - MARGIN, layout.y];
    layout.page().lines.push(line);
    layout.gap(4.0);
    layout.paragraph(w.passphrase_note, 9.0, false, 0.0);
    layout.gap(14.0);
    let date = words::date(request.language, request.date);
    let printed = format!("{} {date} · {} {id} · {parts} QR", w.printed_label, w.kit);
    layout.paragraph(&printed, 11.0, true, 0.0);
    layout.paragraph(w.new_kit, 10.0, false, 0.0);
}

/// The QR pages; answers the largest version and the smallest module (mm).
fn code_pages(layout: &mut Layout<'_>, parts: &[Part], id: &KitId) -> Result<(u8, f32), KitError> {
    let w = layout.words;
    let header = 44.0;
    let label = 18.0;
    let gap = 18.0;
    let cell_w = (layout.width - 2.0 * MARGIN - gap * (COLUMNS as f32 - 1.0)) / COLUMNS as f32;
    let cell_h = (layout.height - 2.0 * MARGIN - header - gap * (ROWS as f32 - 1.0)) / ROWS as f32;
    let side = cell_w.min(cell_h - label);
    let (mut largest, mut smallest) = (0u8, f32::MAX);
    for (i, part) in parts.iter().enumerate() {
        let slot = i % (COLUMNS * ROWS);
        if slot == 0 {
            layout.pages.push(Page::default());
            let top = layout.height - MARGIN;
            layout.put(MARGIN, top - 16.0, 14.0, true, w.codes_heading);
            layout.put(MARGIN, top - 32.0, 9.0, false, w.codes_note);
        }
        let code = qrcode::QrCode::with_error_correction_level(part.to_text().as_bytes(), qrcode::EcLevel::M)
            .map_err(|_| KitError::Internal)?;
        let qrcode::Version::Normal(version) = code.version() else { return Err(KitError::Internal) };
        let modules = code.width();
        let module = side / (modules + 2 * QUIET_MODULES) as f32;
        if module * MM_PER_PT < MIN_MODULE_MM {
            return Err(KitError::Internal);
        }
        largest = largest.max(u8::try_from(version).unwrap_or(u8::MAX));
        smallest = smallest.min(module * MM_PER_PT);
        let (column, row) = (slot % COLUMNS, slot / COLUMNS);
        let x0 = MARGIN + column as f32 * (cell_w + gap);
        let top = layout.height - MARGIN - header - row as f32 * (cell_h + gap);
        // The code's top-left corner, inside its quiet zone.
        let (qx, qy) = (x0 + QUIET_MODULES as f32 * module, top - QUIET_MODULES as f32 * module);
        let colors = code.to_colors();
        let mut rects = Vec::new();
        for (y, row_colors) in colors.chunks(modules).enumerate() {
            let mut x = 0;
            while x < modules {
                if row_colors[x] != qrcode::Color::Dark {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < modules && row_colors[x] == qrcode::Color::Dark {
                    x += 1;
                }
                let yy = qy - (y + 1) as f32 * module;
                rects.push([qx + start as f32 * module, yy, (x - start) as f32 * module, module]);
            }
        }
        let page = layout.page();
        page.paths.push(rects);
        let text = words::part_label(layout.language, part.number, part.total, id.as_str());
        layout.put(x0 + QUIET_MODULES as f32 * module, top - side - 4.0, 10.0, true, &text);
    }
    Ok((largest, if smallest == f32::MAX { 0.0 } else { smallest }))
}

/// Only accounts with something recorded: a page of "none recorded" for a
/// hundred accounts would bury the few that matter.
fn recovery_pages(layout: &mut Layout<'_>, accounts: &[Account]) {
    let w = layout.words;
    let accounts: Vec<&Account> =
        accounts.iter().filter(|a| !a.recovery_codes.is_empty() || !a.other_ways.is_empty()).collect();
    if accounts.is_empty() {
        return;
    }
    layout.header = Some(w.recovery_heading.to_owned());
    layout.new_page();
    layout.paragraph(w.recovery_warning, 10.0, false, 0.0);
    layout.gap(6.0);
    for account in accounts {
        layout.gap(6.0);
        layout.paragraph(&account.display_name(), 11.0, true, 0.0);
        let codes: Vec<String> = account
            .recovery_codes
            .iter()
            .map(|c| if c.used_at.is_some() { format!("{} {}", c.code, w.used) } else { c.code.clone() })
            .collect();
        let codes = if codes.is_empty() { w.nothing_recorded.to_owned() } else { codes.join("    ") };
        layout.paragraph(&format!("{} {codes}", w.recovery_codes), 10.0, false, 12.0);
        let o = &account.other_ways;
        let mut ways: Vec<String> = Vec::new();
        if let Some(sms) = &o.sms {
            ways.push(format!("{} {sms}", w.sms));
        }
        if let Some(email) = &o.email {
            ways.push(format!("{} {email}", w.email));
        }
        if o.security_key {
            ways.push(w.security_key.to_owned());
        }
        if o.passkey {
            ways.push(w.passkey.to_owned());
        }
        let ways = if ways.is_empty() { w.nothing_recorded.to_owned() } else { ways.join("; ") };
        layout.paragraph(&format!("{} {ways}", w.other_ways), 10.0, false, 12.0);
    }
    layout.header = None;
}

/// Writes the laid-out pages as a PDF.
fn render(layout: &Layout<'_>) -> Result<Vec<u8>, KitError> {
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let (catalog, tree, helvetica, helvetica_bold, cjk) = (alloc(), alloc(), alloc(), alloc(), alloc());
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);

    // The CJK subset: every glyph of every run set in it, remapped from 1.
    let mut glyphs = subsetter::GlyphRemapper::new();
    let mut chars: BTreeSet<char> = BTreeSet::new();
    for run in layout.pages.iter().flat_map(|p| &p.runs) {
        if layout.choose(&run.text) == FontChoice::Cjk {
            chars.extend(run.text.chars());
        }
    }
    if let Some(face) = &layout.face {
        for &c in &chars {
            glyphs.remap(face.glyph_index(c).map_or(0, |g| g.0));
        }
    }

    let mut page_ids = Vec::new();
    for page in &layout.pages {
        let (page_id, content_id) = (alloc(), alloc());
        page_ids.push(page_id);
        let mut content = Content::new();
        content.set_fill_gray(0.0);
        for rects in &page.paths {
            for r in rects {
                content.rect(r[0], r[1], r[2], r[3]);
            }
            content.fill_nonzero();
        }
        if !page.lines.is_empty() {
            content.set_line_width(0.8);
            for l in &page.lines {
                content.move_to(l[0], l[1]).line_to(l[2], l[3]);
            }
            content.stroke();
        }
        for run in &page.runs {
            content.begin_text();
            let encoded = match (layout.choose(&run.text), &layout.face) {
                (FontChoice::Cjk, Some(face)) => {
                    content.set_font(Name(b"F3"), run.size);
                    if run.bold {
                        // The system font has no bold face: stroke the outlines too.
                        content.set_text_rendering_mode(TextRenderingMode::FillStroke);
                        content.set_line_width(run.size * 0.03);
                    }
                    run.text
                        .chars()
                        .flat_map(|c| {
                            let g = face.glyph_index(c).map_or(0, |g| g.0);
                            glyphs.get(g).unwrap_or(0).to_be_bytes()
                        })
                        .collect()
                }
                _ => {
                    content.set_font(Name(if run.bold { b"F2" } else { b"F1" }), run.size);
                    let safe: String = run
                        .text
                        .chars()
                        .map(|c| if win_ansi(&c.to_string()).is_some() { c } else { '?' })
                        .collect();
                    win_ansi(&safe).unwrap_or_default()
                }
            };
            content.next_line(run.x, run.y);
            content.show(Str(&encoded));
            if run.bold {
                content.set_text_rendering_mode(TextRenderingMode::Fill);
            }
            content.end_text();
        }
        let compressed = deflate(&content.finish())?;
        pdf.stream(content_id, &compressed).filter(Filter::FlateDecode);
        let mut p = pdf.page(page_id);
        p.media_box(Rect::new(0.0, 0.0, layout.width, layout.height));
        p.parent(tree);
        p.contents(content_id);
        let mut resources = p.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Name(b"F1"), helvetica);
        fonts.pair(Name(b"F2"), helvetica_bold);
        if layout.face.is_some() {
            fonts.pair(Name(b"F3"), cjk);
        }
        fonts.finish();
        resources.finish();
        p.finish();
    }
    pdf.pages(tree).kids(page_ids.iter().copied()).count(page_ids.len() as i32);
    pdf.type1_font(helvetica).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(helvetica_bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    if let (Some(font), Some(face)) = (layout.font, &layout.face) {
        let (cid, descriptor, file, cmap) = (alloc(), alloc(), alloc(), alloc());
        embed_cjk(&mut pdf, font, face, &glyphs, &chars, [cjk, cid, descriptor, file, cmap])?;
    }
    pdf.document_info(alloc())
        .title(pdf_writer::TextStr("Twofold emergency kit"))
        .producer(pdf_writer::TextStr("Twofold"));
    Ok(pdf.finish())
}

/// The CJK font as Type0 over a CIDFont (TrueType or CFF outlines, as the
/// system's font has them), Identity-H, the subset embedded, and a
/// ToUnicode map so the text can be searched and copied.
fn embed_cjk(
    pdf: &mut Pdf,
    font: &SystemFont,
    face: &ttf_parser::Face<'_>,
    glyphs: &subsetter::GlyphRemapper,
    chars: &BTreeSet<char>,
    [type0, cid, descriptor, file, cmap]: [Ref; 5],
) -> Result<(), KitError> {
    let bad = || KitError::BadFont { path: font.path.clone() };
    let subset = subsetter::subset(&font.data, font.index, glyphs).map_err(|_| bad())?;
    // A subset's name: six capitals, "+", the font's PostScript name.
    let base = face
        .names()
        .into_iter()
        .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .and_then(|n| n.to_string())
        .unwrap_or_else(|| "TwofoldCJK".into());
    let base: String = base.chars().filter(char::is_ascii_alphanumeric).collect();
    let base = format!("TWOFLD+{base}");
    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);
    let info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    let widths: Vec<f32> = glyphs
        .remapped_gids()
        .map(|g| {
            face.glyph_hor_advance(ttf_parser::GlyphId(g)).map_or(0.0, f32::from) * 1000.0 / font.units_per_em
        })
        .collect();
    let mut cid_font = pdf.cid_font(cid);
    cid_font
        .subtype(if font.cff { CidFontType::Type0 } else { CidFontType::Type2 })
        .base_font(Name(base.as_bytes()))
        .system_info(info)
        .font_descriptor(descriptor)
        .default_width(1000.0);
    if !font.cff {
        cid_font.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    cid_font.widths().consecutive(0, widths);
    cid_font.finish();
    let [x1, y1, x2, y2] = font.bbox;
    let mut d = pdf.font_descriptor(descriptor);
    d.name(Name(base.as_bytes()))
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(x1, y1, x2, y2))
        .italic_angle(0.0)
        .ascent(font.ascent)
        .descent(font.descent)
        .cap_height(font.ascent * 0.8)
        .stem_v(80.0);
    if font.cff {
        d.font_file3(file);
    } else {
        d.font_file2(file);
    }
    d.finish();
    let compressed = deflate(&subset)?;
    let mut stream = pdf.stream(file, &compressed);
    stream.filter(Filter::FlateDecode);
    if font.cff {
        stream.pair(Name(b"Subtype"), Name(b"OpenType"));
    }
    stream.finish();
    let mut unicode = pdf_writer::types::UnicodeCmap::new(Name(b"Twofold-UCS"), info);
    for &c in chars {
        if let Some(g) = face.glyph_index(c).and_then(|g| glyphs.get(g.0)) {
            unicode.pair(g, c);
        }
    }
    pdf.cmap(cmap, &unicode.finish());
    Ok(())
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>, KitError> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).map_err(|_| KitError::Internal)?;
    z.finish().map_err(|_| KitError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_cjk_characters_are_units() {
        let got: Vec<(String, bool)> = units("Open Twofold を開き。");
        let want = [("Open", false), ("Twofold", true), ("を", true), ("開", false), ("き。", false)];
        assert_eq!(got, want.map(|(s, b)| (s.to_owned(), b)));
    }
}
