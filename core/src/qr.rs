//! Finding and decoding every QR code in an image (screenshots, photos).
//!
//! The pipeline runs cheap passes first; `docs/qr-decoding.md` and the
//! corpus tests record what each stage buys:
//!
//! 1. `rxing` (pure-Rust ZXing) multi-code reader on the full image. When it
//!    finds codes, the finder patterns outside them are checked for three
//!    that still sit as a code's do (an L of similar modules with a timing
//!    pattern between them), dark on light or light on dark; each such place
//!    is cropped and decoded on its own. That finds the codes the
//!    multi-code reader passes over in busy screenshots (a small code beside
//!    large ones, a light-on-dark one beside dark-on-light ones) for the
//!    cost of a few small crops, and a single code costs nothing more.
//! 2. Nothing found: the same on a copy shrunk to at most
//!    [`DOWNSCALED_SIDE`] px (block averages, which also smooth JPEG
//!    noise) — the working copy for the heavier passes below;
//! 3. the working copy inverted, for light-on-dark codes (dark themes);
//! 4. rxing on a 2× upscaled copy of small images (low-resolution crops);
//! 5. `rqrr` on the working copy, as a second opinion for codes ZXing misses.
//!    rqrr can panic on hostile input (an open upstream bug), so it runs
//!    inside `catch_unwind`; Twofold never builds with `panic = "abort"`.
//!
//! Passes 2–5 stop at the first that finds something, and once a time
//! budget is spent; images beyond [`Limits`] are refused before they are
//! decoded. rxing's multi-code search tries every triple of finder-pattern
//! candidates, so an image tiled with hundreds of codes would keep it busy
//! for minutes and gigabytes, with no way to stop it midway: before each
//! rxing pass a linear count of the candidates refuses such an image as
//! [`QrError::Crowded`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use image::{imageops, GrayImage};
use rxing::common::HybridBinarizer;
use rxing::multi::qrcode::QRCodeMultiReader;
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::detector::FinderPatternFinder;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource};

/// Images longer than this are shrunk by a whole factor (to at most this
/// size) for the heavier passes.
pub const DOWNSCALED_SIDE: u32 = 1600;
/// Images whose longest side is below this are also tried at twice the size.
const UPSCALE_BELOW: u32 = 800;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("the file is not an image Twofold can read (PNG, JPEG, WebP, GIF or BMP)")]
    Unreadable,
    #[error("the image is too large ({width}×{height}; the limit is {max_pixels} pixels)")]
    TooLarge { width: u32, height: u32, max_pixels: u64 },
    #[error("the file is too large ({bytes} bytes; the limit is {max_bytes})")]
    FileTooLarge { bytes: usize, max_bytes: usize },
    #[error("could not read the file ({0})")]
    Read(String),
    #[error("the image holds more QR codes than Twofold reads at once (over {max_codes}): crop it to the codes you want")]
    Crowded { max_codes: usize },
}

/// The most codes one image may hold: four times the largest Google
/// Authenticator export shown on one screen. Each code has three finder
/// patterns; the count below may see one twice where it straddles a cell.
pub const MAX_CODES_PER_IMAGE: usize = 40;
const MAX_FINDER_CANDIDATES: usize = 3 * MAX_CODES_PER_IMAGE * 2;

/// Bounds that keep a hostile file from exhausting memory or time.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_pixels: u64,
    /// Once spent, remaining fallback passes are skipped.
    pub budget: Duration,
}

impl Default for Limits {
    /// 64 MiB files and 50 megapixels (an 8K screenshot is 33), 2 s of fallbacks.
    fn default() -> Self {
        Self {
            max_bytes: crate::fs::MAX_IMPORT_BYTES,
            max_pixels: 50_000_000,
            budget: Duration::from_secs(2),
        }
    }
}

/// The pass that produced a result, for measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Full,
    /// A crop around finder patterns the full pass left over.
    Place,
    Downscaled,
    Inverted,
    Upscaled,
    Rqrr,
}

/// What a scan found: texts in reading order (top to bottom, left to right).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    pub texts: Vec<String>,
    pub stage: Option<Stage>,
}

/// Decodes an image file's bytes and scans it.
pub fn scan_bytes(bytes: &[u8], limits: Limits) -> Result<Scan, QrError> {
    let image = decode_image(bytes, limits)?;
    scan(&image, limits.budget)
}

/// Scans raw RGBA pixels (e.g. a clipboard image), within `limits`.
pub fn scan_rgba(width: u32, height: u32, rgba: Vec<u8>, limits: Limits) -> Result<Scan, QrError> {
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(QrError::TooLarge { width, height, max_pixels: limits.max_pixels });
    }
    let image = image::RgbaImage::from_raw(width, height, rgba).ok_or(QrError::Unreadable)?;
    scan(&to_grey(image::DynamicImage::ImageRgba8(image)), limits.budget)
}

/// Reads an image file (refusing oversized files before reading) and scans it.
pub fn scan_file(path: &std::path::Path, limits: Limits) -> Result<Scan, QrError> {
    let bytes = crate::fs::read_bounded(path, limits.max_bytes).map_err(|e| match e {
        crate::fs::ReadError::TooLarge { max_bytes } => {
            let bytes = std::fs::metadata(path).map_or(max_bytes.saturating_add(1), |m| m.len() as usize);
            QrError::FileTooLarge { bytes, max_bytes }
        }
        crate::fs::ReadError::Io(kind) => QrError::Read(kind.to_string()),
        crate::fs::ReadError::NotAFile => QrError::Read("not a regular file".into()),
    })?;
    scan_bytes(&bytes, limits)
}

/// Decodes PNG, JPEG, WebP, GIF or BMP into greyscale, within `limits`.
pub fn decode_image(bytes: &[u8], limits: Limits) -> Result<GrayImage, QrError> {
    if bytes.len() > limits.max_bytes {
        return Err(QrError::FileTooLarge { bytes: bytes.len(), max_bytes: limits.max_bytes });
    }
    let reader =
        image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| QrError::Unreadable)?;
    let (width, height) = reader.into_dimensions().map_err(|_| QrError::Unreadable)?;
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(QrError::TooLarge { width, height, max_pixels: limits.max_pixels });
    }
    let mut reader =
        image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| QrError::Unreadable)?;
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(width);
    decoder_limits.max_image_height = Some(height);
    // RGBA at 4 bytes a pixel, plus slack for the decoder's own buffers.
    decoder_limits.max_alloc = Some(limits.max_pixels * 4 + (64 << 20));
    reader.limits(decoder_limits);
    // Decoders aim never to panic, but a hostile file must not get the chance
    // to take the CLI or a scan thread down with it.
    let image = catch_unwind(AssertUnwindSafe(|| reader.decode()))
        .map_err(|_| QrError::Unreadable)?
        .map_err(|_| QrError::Unreadable)?;
    Ok(to_grey(image))
}

/// Rec. 601 luma in integer arithmetic: several times faster on a 4K
/// screenshot than the generic conversion, which matters for the scan budget.
fn to_grey(image: image::DynamicImage) -> GrayImage {
    let (width, height) = (image.width(), image.height());
    let luma =
        |r: u8, g: u8, b: u8| ((77 * u32::from(r) + 150 * u32::from(g) + 29 * u32::from(b)) >> 8) as u8;
    let pixels: Vec<u8> = match &image {
        image::DynamicImage::ImageRgb8(rgb) => {
            rgb.as_raw().chunks_exact(3).map(|p| luma(p[0], p[1], p[2])).collect()
        }
        // Transparent pixels count as white: screenshots put codes on light backgrounds.
        image::DynamicImage::ImageRgba8(rgba) => rgba
            .as_raw()
            .chunks_exact(4)
            .map(|p| {
                let y = u32::from(luma(p[0], p[1], p[2]));
                let a = u32::from(p[3]);
                ((y * a + 255 * (255 - a)) / 255) as u8
            })
            .collect(),
        // Already grey (moved, not copied), or rarer layouts: the generic conversion.
        _ => return image.into_luma8(),
    };
    GrayImage::from_raw(width, height, pixels).expect("one byte per pixel")
}

/// Runs the passes in order until one finds a code or the budget is spent.
/// When the first finds some, the places where finder patterns still sit
/// as a code's do (a smaller code, a light-on-dark one beside dark-on-light
/// ones) are decoded one by one: a busy screenshot gives every code it
/// holds, at the cost of a few small crops, and a single code costs no
/// more than one pass and a linear count.
pub fn scan(image: &GrayImage, budget: Duration) -> Result<Scan, QrError> {
    let deadline = Instant::now() + budget;
    let (width, height) = image.dimensions();
    if width == 0 || height == 0 {
        return Ok(Scan::default());
    }
    let mut found = Found::default();
    let first = rxing_all(image)?;
    if !first.hits.is_empty() {
        found.add(first.hits, 1.0, Stage::Full);
        for place in first.places_left {
            if Instant::now() >= deadline {
                break;
            }
            // A crop that cannot be read (crowded with patterns, say) is
            // just a place without a code: what was found still stands.
            found.add_in(decode_place(image, &place).unwrap_or_default(), &place);
        }
        return Ok(found.finish());
    }
    // Heavier passes work on a copy of manageable size.
    let longest = width.max(height);
    let (base, factor) = if longest > DOWNSCALED_SIDE {
        let k = longest / DOWNSCALED_SIDE + 1;
        let small = shrink(image, k);
        let factor = 1.0 / f64::from(k);
        let hits = rxing_all(&small)?.hits;
        if !hits.is_empty() {
            found.add(hits, factor, Stage::Downscaled);
            return Ok(found.finish());
        }
        (Cow::Owned(small), factor)
    } else {
        (Cow::Borrowed(image), 1.0)
    };
    // Light-on-dark codes (dark themes): rxing's multi-code reader does not
    // honour its own "also inverted" hint, so invert explicitly.
    if Instant::now() < deadline {
        let mut inverted = base.clone().into_owned();
        // A plain loop: the generic `imageops::invert` is far slower.
        inverted.iter_mut().for_each(|p| *p = 255 - *p);
        let hits = rxing_all(&inverted)?.hits;
        if !hits.is_empty() {
            found.add(hits, factor, Stage::Inverted);
            return Ok(found.finish());
        }
    }
    if longest < UPSCALE_BELOW && Instant::now() < deadline {
        let large = resize(image, 2.0, imageops::FilterType::CatmullRom);
        let hits = rxing_all(&large)?.hits;
        if !hits.is_empty() {
            found.add(hits, 2.0, Stage::Upscaled);
            return Ok(found.finish());
        }
    }
    if Instant::now() < deadline {
        found.add(rqrr_all(&base), factor, Stage::Rqrr);
    }
    Ok(found.finish())
}

/// Decodes one place where finder patterns sit as a code's do: a crop of
/// the image around them, inverted for light-on-dark patterns and enlarged
/// where modules are only a few pixels wide.
fn decode_place(image: &GrayImage, place: &Place) -> Result<Vec<Hit>, QrError> {
    let mut crop = imageops::crop_imm(image, place.left, place.top, place.width, place.height).to_image();
    if place.inverted {
        crop.iter_mut().for_each(|p| *p = 255 - *p);
    }
    if place.scale > 1.0 {
        crop = resize(&crop, place.scale, imageops::FilterType::CatmullRom);
    }
    Ok(rxing_all(&crop)?.hits)
}

/// Whether modules alternate dark and light (as a QR code's timing pattern
/// does) along the line from `corner` towards `to`, three modules over
/// towards `side`, between the two finder patterns. Most modules must fit:
/// a blur or JPEG noise may flip a few.
fn timing_between(
    matrix: &rxing::common::BitMatrix,
    corner: &Pattern,
    to: (f64, f64),
    side: (f64, f64),
    inverted: bool,
) -> bool {
    let length = to.0.hypot(to.1);
    let modules_between = (length / f64::from(corner.module.max(1))).round();
    if modules_between < 8.0 {
        return false;
    }
    // One module along the line and one towards the side, in pixels.
    let step = (to.0 / modules_between, to.1 / modules_between);
    let side_length = side.0.hypot(side.1);
    let across =
        (side.0 / side_length * length / modules_between, side.1 / side_length * length / modules_between);
    let (mut fits, mut tried) = (0, 0);
    // From 4 modules past the centre (the pattern's edge) to 4 before the other.
    for i in 4..(modules_between as i64 - 3) {
        let x = f64::from(corner.x) + step.0 * i as f64 + across.0 * 3.0;
        let y = f64::from(corner.y) + step.1 * i as f64 + across.1 * 3.0;
        if x < 0.0 || y < 0.0 || x >= f64::from(matrix.getWidth()) || y >= f64::from(matrix.getHeight()) {
            return false;
        }
        let dark = matrix.get(x as u32, y as u32) != inverted;
        // The centre sits on module 3; 4 past it is module 7, a separator's
        // neighbour: the timing pattern starts dark at module 8 (i = 5).
        tried += 1;
        if dark == (i % 2 == 1) {
            fits += 1;
        }
    }
    tried > 0 && fits * 10 >= tried * 8
}

/// What the passes found so far, in the original image's coordinates,
/// each text once, and the last pass that added one.
#[derive(Default)]
struct Found {
    hits: Vec<Hit>,
    stage: Option<Stage>,
}

impl Found {
    fn add(&mut self, hits: Vec<Hit>, scale: f64, stage: Stage) {
        for hit in hits {
            if self.hits.iter().all(|h| h.text != hit.text) {
                self.hits.push(Hit { x: hit.x / scale, y: hit.y / scale, text: hit.text });
                self.stage = Some(stage);
            }
        }
    }

    /// Hits from a crop (`place`), put back into the image's coordinates.
    fn add_in(&mut self, hits: Vec<Hit>, place: &Place) {
        let stage = if place.inverted { Stage::Inverted } else { Stage::Place };
        let moved = hits.into_iter().map(|hit| Hit {
            x: hit.x / place.scale + f64::from(place.left),
            y: hit.y / place.scale + f64::from(place.top),
            text: hit.text,
        });
        self.add(moved.collect(), 1.0, stage);
    }

    fn finish(self) -> Scan {
        match self.stage {
            Some(stage) => in_reading_order(self.hits, stage),
            None => Scan::default(),
        }
    }
}

/// A decoded text and where its code sits (top-left-most corner), in the
/// coordinates of the image it was found in.
struct Hit {
    text: String,
    x: f64,
    y: f64,
}

/// Where a found code lies (a box around its finder patterns' centres,
/// widened to cover the patterns and a little more), in the pass's pixels.
#[derive(Clone, Copy)]
struct Area {
    left: f32,
    top: f32,
    right: f32,
    bottom: f32,
}

impl Area {
    fn around(points: &[rxing::Point]) -> Option<Self> {
        let xs = points.iter().map(|p| p.x);
        let ys = points.iter().map(|p| p.y);
        let (left, right) = (xs.clone().fold(f32::INFINITY, f32::min), xs.fold(f32::NEG_INFINITY, f32::max));
        let (top, bottom) = (ys.clone().fold(f32::INFINITY, f32::min), ys.fold(f32::NEG_INFINITY, f32::max));
        let margin = 0.3 * (right - left).max(bottom - top);
        (left.is_finite() && top.is_finite()).then_some(Area {
            left: left - margin,
            top: top - margin,
            right: right + margin,
            bottom: bottom + margin,
        })
    }

    fn holds(&self, x: u32, y: u32) -> bool {
        let (x, y) = (x as f32, y as f32);
        self.left <= x && x <= self.right && self.top <= y && y <= self.bottom
    }
}

/// Rows of codes top to bottom, each row left to right (hits in the
/// original image's pixels). Codes whose tops are within 50 px share a row.
fn in_reading_order(mut hits: Vec<Hit>, stage: Stage) -> Scan {
    hits.sort_by(|a, b| a.y.total_cmp(&b.y));
    let row_tolerance = 50.0;
    let mut rows: Vec<Vec<Hit>> = Vec::new();
    for hit in hits {
        match rows.last_mut() {
            Some(row) if (hit.y - row[0].y).abs() <= row_tolerance => row.push(hit),
            _ => rows.push(vec![hit]),
        }
    }
    let mut seen = HashSet::new();
    let texts = rows
        .into_iter()
        .flat_map(|mut row| {
            row.sort_by(|a, b| a.x.total_cmp(&b.x));
            row
        })
        .filter(|hit| seen.insert(hit.text.clone()))
        .map(|hit| hit.text)
        .collect();
    Scan { texts, stage: Some(stage) }
}

/// Averages k×k blocks: a fast, alias-free downscale by a whole factor.
fn shrink(image: &GrayImage, k: u32) -> GrayImage {
    let (w, h) = image.dimensions();
    let (sw, sh) = ((w / k).max(1), (h / k).max(1));
    let raw = image.as_raw();
    let (k, w_us) = (k as usize, w as usize);
    let area = (k * k) as u32;
    let mut out = Vec::with_capacity(sw as usize * sh as usize);
    for y in 0..sh as usize {
        let mut sums = vec![0u32; sw as usize];
        for row in raw[y * k * w_us..].chunks(w_us).take(k) {
            for (x, sum) in sums.iter_mut().enumerate() {
                *sum += row[x * k..x * k + k].iter().map(|&p| u32::from(p)).sum::<u32>();
            }
        }
        out.extend(sums.into_iter().map(|s| (s / area) as u8));
    }
    GrayImage::from_raw(sw, sh, out).expect("buffer sized to sw × sh")
}

fn resize(image: &GrayImage, factor: f64, filter: imageops::FilterType) -> GrayImage {
    let (w, h) = image.dimensions();
    let scale = |v: u32| ((f64::from(v) * factor).round() as u32).max(1);
    imageops::resize(image, scale(w), scale(h), filter)
}

/// What one rxing pass found, and the places where finder patterns outside
/// the codes found still sit as a code's do (dark on light, then light on
/// dark): codes the multi-code reader passed over.
struct Pass {
    hits: Vec<Hit>,
    places_left: Vec<Place>,
}

fn rxing_all(image: &GrayImage) -> Result<Pass, QrError> {
    let (width, height) = image.dimensions();
    let Ok(source) = Luma8LuminanceSource::new(image.as_raw().clone(), width, height) else {
        return Ok(Pass { hits: Vec::new(), places_left: Vec::new() });
    };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    // The binarised image is cached in `bitmap`: the reader reuses it.
    let [patterns, inverted] = finder_patterns(bitmap.get_black_matrix(), MAX_FINDER_CANDIDATES);
    if patterns.len() > MAX_FINDER_CANDIDATES {
        return Err(QrError::Crowded { max_codes: MAX_CODES_PER_IMAGE });
    }
    let hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        TryHarder: Some(true),
        AlsoInverted: Some(true),
        ..DecodeHints::default()
    };
    // rxing is a port of well-tested code, but contain it like rqrr anyway:
    // a decoder bug must never take the app down.
    let results = catch_unwind(AssertUnwindSafe(|| {
        QRCodeMultiReader::new().decode_multiple_with_hints(&mut bitmap, &hints)
    }));
    let mut areas = Vec::new();
    let hits = match results {
        Ok(Ok(results)) => results
            .iter()
            .map(|r| {
                let points = r.getPoints();
                areas.extend(Area::around(points));
                let x = points.iter().map(|p| f64::from(p.x)).fold(f64::INFINITY, f64::min);
                let y = points.iter().map(|p| f64::from(p.y)).fold(f64::INFINITY, f64::min);
                Hit {
                    text: r.getText().to_owned(),
                    x: if x.is_finite() { x } else { 0.0 },
                    y: if y.is_finite() { y } else { 0.0 },
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let outside = |patterns: Vec<Pattern>| -> Vec<Pattern> {
        patterns.into_iter().filter(|p| !areas.iter().any(|area| area.holds(p.x, p.y))).collect()
    };
    // Only worth looking for when codes were found: otherwise the whole
    // image is searched again anyway.
    let mut places_left = Vec::new();
    if !hits.is_empty() {
        let matrix = bitmap.get_black_matrix();
        places_left = code_places(matrix, &outside(patterns), false);
        places_left.extend(code_places(matrix, &outside(inverted), true));
        places_left.truncate(MAX_PLACES);
    }
    Ok(Pass { hits, places_left })
}

/// A finder pattern's centre and module size, in pixels.
#[derive(Clone, Copy)]
struct Pattern {
    x: u32,
    y: u32,
    module: u32,
}

/// At most this many places are decoded after a full pass: a busy screen
/// full of pattern-like icons cannot make the scan slow.
const MAX_PLACES: usize = 12;

/// A region that may hold a code the full pass missed (see [`code_places`]).
struct Place {
    left: u32,
    top: u32,
    width: u32,
    height: u32,
    /// Light on dark: decoded inverted.
    inverted: bool,
    /// Enlarged by this before decoding (small modules).
    scale: f64,
}

/// The places where three of `patterns` sit as a QR code's do: similar
/// module sizes, two at the same distance (at least a version 1 code's 14
/// modules) from the third and at a right angle to it. Busy screens hold
/// stray pattern-like spots; they rarely line up like this, and each place
/// found is one small crop to decode.
fn code_places(matrix: &rxing::common::BitMatrix, patterns: &[Pattern], inverted: bool) -> Vec<Place> {
    let (width, height) = (matrix.getWidth(), matrix.getHeight());
    let similar = |a: &Pattern, b: &Pattern| a.module.max(b.module) <= 2 * a.module.min(b.module).max(1);
    let mut places: Vec<Place> = Vec::new();
    for corner in patterns {
        for (j, a) in patterns.iter().enumerate() {
            for b in &patterns[j + 1..] {
                if std::ptr::eq(a, corner)
                    || std::ptr::eq(b, corner)
                    || !similar(corner, a)
                    || !similar(corner, b)
                {
                    continue;
                }
                let leg = |p: &Pattern| {
                    (f64::from(p.x) - f64::from(corner.x), f64::from(p.y) - f64::from(corner.y))
                };
                let ((ax, ay), (bx, by)) = (leg(a), leg(b));
                let (la, lb) = (ax.hypot(ay), bx.hypot(by));
                let module = f64::from(corner.module.max(1));
                let right_angle = ((ax * bx + ay * by) / (la * lb)).abs() < 0.15;
                let longest = 170.0 * module; // version 40
                if la < 14.0 * module
                    || lb < 14.0 * module
                    || la.max(lb) > longest
                    || (la - lb).abs() > 0.15 * la.max(lb)
                    || !right_angle
                {
                    continue;
                }
                // Between two finder patterns of a real code runs a timing
                // pattern: modules alternating dark and light.
                if !timing_between(matrix, corner, (ax, ay), (bx, by), inverted) {
                    continue;
                }
                // The fourth corner completes the square; around the four
                // centres, the patterns' half width and a quiet zone.
                let (cx, cy) = (f64::from(corner.x), f64::from(corner.y));
                let xs = [cx, cx + ax, cx + bx, cx + ax + bx];
                let ys = [cy, cy + ay, cy + by, cy + ay + by];
                let margin = 8.0 * module;
                let clamp = |v: f64, max: u32| v.clamp(0.0, f64::from(max)) as u32;
                let left = clamp(xs.iter().copied().fold(f64::INFINITY, f64::min) - margin, width);
                let top = clamp(ys.iter().copied().fold(f64::INFINITY, f64::min) - margin, height);
                let right = clamp(xs.iter().copied().fold(f64::NEG_INFINITY, f64::max) + margin, width);
                let bottom = clamp(ys.iter().copied().fold(f64::NEG_INFINITY, f64::max) + margin, height);
                let centre = ((left + right) / 2, (top + bottom) / 2);
                let known = places.iter().any(|p| {
                    (p.left..p.left + p.width).contains(&centre.0)
                        && (p.top..p.top + p.height).contains(&centre.1)
                });
                if known || right <= left || bottom <= top {
                    continue;
                }
                places.push(Place {
                    left,
                    top,
                    width: right - left,
                    height: bottom - top,
                    inverted,
                    scale: if corner.module <= 3 { 2.0 } else { 1.0 },
                });
                if places.len() >= MAX_PLACES {
                    return places;
                }
            }
        }
    }
    places
}

/// Where the binarised image seems to hold finder patterns (the three
/// squares in a QR code's corners): dark on light, and light on dark, each
/// listed up to just past `stop_after`.
/// Every row's runs are read as dark:light:dark:light:dark (or the
/// reverse) of 1:1:3:1:1, as ZXing's finder does. A real pattern matches in
/// about three modules' worth of consecutive rows around one centre, so a
/// spot counts once it has matched in half that many (a data area's chance
/// match spans one module's rows) and its column holds the same pattern
/// (text's vertical strokes do not). Linear in the rows' runs: long runs of
/// one colour are skipped a machine word at a time.
fn finder_patterns(matrix: &rxing::common::BitMatrix, stop_after: usize) -> [Vec<Pattern>; 2] {
    use std::collections::HashMap;

    /// Consecutive rows matching around one centre.
    struct Track {
        centre: u32,
        last_row: u32,
        rows: u32,
    }
    let (width, height) = (matrix.getWidth(), matrix.getHeight());
    // Per polarity: (column cell, module size class) → the track there.
    let mut tracks: [HashMap<(u32, u32), Track>; 2] = [HashMap::new(), HashMap::new()];
    let mut found: [Vec<Pattern>; 2] = [Vec::new(), Vec::new()];
    // (start, length, dark) of each run in the row.
    let mut runs: Vec<(u32, u32, bool)> = Vec::new();
    for y in 0..height {
        let row = matrix.getRow(y);
        runs.clear();
        let mut x = 0;
        while x < width as usize {
            let dark = row.get(x);
            let end = if dark { row.getNextUnset(x) } else { row.getNextSet(x) }.min(width as usize);
            runs.push((x as u32, (end - x) as u32, dark));
            x = end;
        }
        for window in runs.windows(5) {
            // 0: starts dark (dark on light); 1: starts light (light on dark).
            let polarity = usize::from(!window[0].2);
            if found[polarity].len() > stop_after {
                continue;
            }
            let counts = [window[0].1, window[1].1, window[2].1, window[3].1, window[4].1];
            if !FinderPatternFinder::foundPatternCross(&counts, 1.0) {
                continue;
            }
            let module = (counts.iter().sum::<u32>() + 3) / 7;
            let centre = window[2].0 + window[2].1 / 2;
            let class = 32 - module.max(1).leading_zeros();
            let cell = (7 * module).max(1);
            let near =
                |track: &Track| track.centre.abs_diff(centre) <= module.max(1) && y - track.last_row <= 2;
            let tracks = &mut tracks[polarity];
            let key = [centre / cell, (centre / cell).wrapping_sub(1), centre / cell + 1]
                .into_iter()
                .find(|k| tracks.get(&(*k, class)).is_some_and(near));
            let needed = (3 * module / 2).max(2);
            match key.and_then(|k| tracks.get_mut(&(k, class))) {
                Some(track) => {
                    track.last_row = y;
                    track.rows += 1;
                    if track.rows == needed && vertical_pattern(matrix, centre, y, module, polarity == 1) {
                        found[polarity].push(Pattern { x: centre, y, module });
                    }
                }
                None => {
                    tracks.insert((centre / cell, class), Track { centre, last_row: y, rows: 1 });
                }
            }
        }
        if found[0].len() > stop_after {
            break;
        }
    }
    found
}

/// Whether the column through (x, y), a dark pixel, reads 1:1:3:1:1 around
/// it with modules of about `module` pixels (ZXing's vertical cross-check).
fn vertical_pattern(matrix: &rxing::common::BitMatrix, x: u32, y: u32, module: u32, inverted: bool) -> bool {
    let height = matrix.getHeight();
    // No run of a real pattern is longer than this.
    let longest = 5 * module.max(1) + 2;
    let mut counts = [0u32; 5];
    let run = |from: u32, step: i64, dark: bool, count: &mut u32| -> Option<u32> {
        let mut at = i64::from(from);
        while at >= 0 && at < i64::from(height) && (matrix.get(x, at as u32) != inverted) == dark {
            *count += 1;
            if *count > longest {
                return None;
            }
            at += step;
        }
        u32::try_from(at).ok().filter(|a| *a < height)
    };
    let mut check = || -> Option<()> {
        // Up: the centre's dark run, then light, then dark; then down.
        let up = run(y, -1, true, &mut counts[2])?;
        let up = run(up, -1, false, &mut counts[1])?;
        run(up, -1, true, &mut counts[0]);
        let down = run(y + 1, 1, true, &mut counts[2])?;
        let down = run(down, 1, false, &mut counts[3])?;
        run(down, 1, true, &mut counts[4]);
        Some(())
    };
    (matrix.get(x, y) != inverted)
        && check().is_some()
        && FinderPatternFinder::foundPatternCross(&counts, 1.0)
}

fn rqrr_all(image: &GrayImage) -> Vec<Hit> {
    let run = |img: &GrayImage| -> Vec<Hit> {
        let (w, h) = img.dimensions();
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
            img.get_pixel(x as u32, y as u32).0[0]
        });
        prepared
            .detect_grids()
            .into_iter()
            .filter_map(|grid| {
                let corner = grid.bounds[0];
                grid.decode().ok().map(|(_, text)| Hit {
                    text,
                    x: f64::from(corner.x),
                    y: f64::from(corner.y),
                })
            })
            .collect()
    };
    catch_unwind(AssertUnwindSafe(|| run(image))).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_images_are_refused_plainly() {
        assert_eq!(scan_bytes(b"not an image at all", Limits::default()), Err(QrError::Unreadable));
        assert_eq!(scan_bytes(b"", Limits::default()), Err(QrError::Unreadable));
        // A PNG signature followed by garbage.
        assert_eq!(
            scan_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDRgarbage", Limits::default()),
            Err(QrError::Unreadable)
        );
    }

    #[test]
    fn oversized_images_are_refused_before_decoding() {
        let mut png = Vec::new();
        let image = GrayImage::new(3000, 3000);
        image::DynamicImage::ImageLuma8(image)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        let limits = Limits { max_pixels: 1_000_000, ..Limits::default() };
        assert_eq!(
            scan_bytes(&png, limits),
            Err(QrError::TooLarge { width: 3000, height: 3000, max_pixels: 1_000_000 })
        );
        let limits = Limits { max_bytes: 100, ..Limits::default() };
        assert!(matches!(scan_bytes(&png, limits), Err(QrError::FileTooLarge { .. })));
    }

    #[test]
    fn a_blank_image_has_no_code() {
        let scan = scan(&GrayImage::from_pixel(640, 480, image::Luma([255])), Duration::from_secs(2));
        assert_eq!(scan, Ok(Scan::default()));
    }
}
