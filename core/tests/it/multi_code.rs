//! Every code in a busy screenshot: generated images with several QR codes
//! each (different sizes, `otpauth://` links and `otpauth-migration://`
//! exports mixed, on busy backgrounds, some JPEG-compressed). The images
//! are made here, from a fixed seed, so the set is held out from the
//! decoder's tuning and the same on every run; each reports what it found
//! against what was drawn.

use image::{GrayImage, Luma};
use twofold_core::migration::{encode, Batch};
use twofold_core::qr::{self, Limits};
use twofold_core::OtpauthUri;

/// A small, fixed pseudo-random sequence (64-bit LCG): the same images on
/// every run and machine.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    fn below(&mut self, n: u32) -> u32 {
        self.next() % n.max(1)
    }
}

/// A distinct public-looking example account for code `i` (random bytes as
/// the key, not any real account's).
fn link(i: u32, rng: &mut Seeded) -> String {
    let key: Vec<u8> = (0..10 + rng.below(10)).map(|_| rng.below(256) as u8).collect();
    let secret = data_encoding::BASE32_NOPAD.encode(&key);
    format!("otpauth://totp/Service{i}:user{i}@example.com?secret={secret}&issuer=Service{i}")
}

fn export(i: u32, rng: &mut Seeded) -> String {
    let accounts: Vec<OtpauthUri> =
        (0..1 + rng.below(4)).map(|k| OtpauthUri::parse(&link(i * 10 + k, rng)).expect("valid")).collect();
    encode(&accounts, Batch { id: i as i32, index: 0, size: 1 }).to_string()
}

/// A busy background: a gradient, blocks of colour (windows, photos) and
/// rows of small dark marks (text).
fn background(width: u32, height: u32, rng: &mut Seeded) -> GrayImage {
    let mut image =
        GrayImage::from_fn(width, height, |x, y| Luma([(200 + (x + y) * 40 / (width + height)) as u8]));
    for _ in 0..12 {
        let (w, h) = (40 + rng.below(width / 3), 30 + rng.below(height / 3));
        let (x0, y0) = (rng.below(width - w), rng.below(height - h));
        let shade = 60 + rng.below(180) as u8;
        for y in y0..y0 + h {
            for x in x0..x0 + w {
                image.put_pixel(x, y, Luma([shade]));
            }
        }
    }
    for _ in 0..height / 18 {
        let (y0, x0) = (rng.below(height - 12), rng.below(width / 2));
        let mut x = x0;
        while x < (x0 + 200 + rng.below(width / 2)).min(width - 8) {
            let (w, h) = (2 + rng.below(6), 6 + rng.below(5));
            for dy in 0..h.min(height - y0) {
                for dx in 0..w {
                    image.put_pixel(x + dx, y0 + dy, Luma([30]));
                }
            }
            x += w + 2 + rng.below(4);
        }
    }
    image
}

/// Draws `text`'s code at (x, y), `scale` px a module, with a quiet zone
/// of four modules; `light_on_dark` as dark themes show it. Answers its
/// side in pixels.
fn draw(image: &mut GrayImage, text: &str, x: u32, y: u32, scale: u32, light_on_dark: bool) -> u32 {
    let code = twofold_testkit::qr_image(text, scale, 4);
    let (ink, paper) = if light_on_dark { (230, 24) } else { (0, 255) };
    for (px, py, pixel) in code.enumerate_pixels() {
        image.put_pixel(x + px, y + py, Luma([if pixel.0 == [0] { ink } else { paper }]));
    }
    code.width()
}

struct Case {
    name: String,
    png_or_jpeg: Vec<u8>,
    drawn: Vec<String>,
    /// How each code was drawn, for the report of one missed.
    how: Vec<String>,
}

/// How a case's codes look.
#[derive(Clone, Copy)]
struct Style {
    /// JPEG quality, or PNG.
    jpeg: Option<u8>,
    /// Most codes small (2–4 px a module), as a 4K screen shows a page.
    small: bool,
    /// One in three light on dark.
    dark_theme: bool,
}

const PLAIN: Style = Style { jpeg: None, small: false, dark_theme: false };

/// `count` codes of mixed kinds and sizes, placed in a grid of cells so
/// they never overlap, on a `width`×`height` busy background.
fn case(seed: u64, width: u32, height: u32, count: u32, style: Style) -> Case {
    let mut rng = Seeded(seed);
    let mut image = background(width, height, &mut rng);
    let columns = count.min(3);
    let rows = count.div_ceil(columns);
    let (cell_w, cell_h) = (width / columns, height / rows);
    let mut drawn = Vec::new();
    let mut how = Vec::new();
    for i in 0..count {
        let text = if rng.below(3) == 0 { export(i, &mut rng) } else { link(i, &mut rng) };
        let modules = twofold_testkit::qr_modules(&text, 4).0 as u32;
        // The largest scale that fits the cell, then a random smaller one
        // (at least 2 px a module: what a screen shows legibly).
        let fits = (cell_w.min(cell_h) - 10) / modules;
        assert!(fits >= 2, "cell too small for code {i} in {seed}");
        let scale = if style.small && rng.below(4) != 0 {
            2 + rng.below((fits - 1).min(3))
        } else {
            2 + rng.below(fits - 1)
        };
        let side = modules * scale;
        let (col, row) = (i % columns, i / columns);
        let x = col * cell_w + rng.below(cell_w - side);
        let y = row * cell_h + rng.below(cell_h - side);
        let light_on_dark = style.dark_theme && rng.below(3) == 0;
        draw(&mut image, &text, x, y, scale, light_on_dark);
        let kind = if text.starts_with("otpauth-migration") { "export" } else { "link" };
        how.push(format!(
            "{kind}, {modules} modules at {scale} px{}",
            if light_on_dark { ", light on dark" } else { "" }
        ));
        drawn.push(text);
    }
    let mut bytes = Vec::new();
    if let Some(quality) = style.jpeg {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality);
        image.write_with_encoder(encoder).expect("jpeg");
    } else {
        image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).expect("png");
    }
    let name = format!(
        "{width}x{height}, {count} codes{}{}{}",
        style.jpeg.map(|q| format!(", JPEG q{q}")).unwrap_or_default(),
        if style.small { ", small" } else { "" },
        if style.dark_theme { ", some light on dark" } else { "" },
    );
    Case { name, png_or_jpeg: bytes, drawn, how }
}

fn cases() -> Vec<Case> {
    let jpeg = |q| Style { jpeg: Some(q), ..PLAIN };
    let small = Style { small: true, ..PLAIN };
    let dark = Style { dark_theme: true, ..PLAIN };
    let all = Style { jpeg: Some(70), small: true, dark_theme: true };
    vec![
        case(1, 1280, 720, 2, PLAIN),
        case(2, 1920, 1080, 4, PLAIN),
        case(3, 1920, 1080, 6, jpeg(80)),
        case(4, 2560, 1440, 3, jpeg(80)),
        case(5, 2560, 1440, 5, PLAIN),
        case(6, 3840, 2160, 4, jpeg(80)),
        case(7, 3840, 2160, 6, PLAIN),
        case(8, 1366, 768, 3, jpeg(80)),
        case(9, 3840, 2160, 6, small),
        case(10, 2560, 1440, 6, small),
        case(11, 1920, 1080, 4, dark),
        case(12, 2560, 1440, 5, dark),
        case(13, 3840, 2160, 6, all),
        case(14, 1920, 1080, 6, all),
        case(15, 2560, 1440, 4, Style { jpeg: Some(60), ..small }),
        case(16, 3840, 2160, 9, small),
    ]
}

#[test]
fn every_code_in_a_busy_screenshot_is_found() {
    let mut missed = Vec::new();
    for case in cases() {
        let started = std::time::Instant::now();
        let scan = qr::scan_bytes(&case.png_or_jpeg, Limits::default()).expect("scans");
        let texts = crate::common::texts(&scan);
        let found = case.drawn.iter().filter(|text| texts.contains(&text.as_str())).count();
        eprintln!(
            "{}: found {found} of {} drawn ({:?}, {} ms)",
            case.name,
            case.drawn.len(),
            scan.stage,
            started.elapsed().as_millis()
        );
        assert!(
            scan.texts.iter().all(|t| case.drawn.iter().any(|d| d.as_str() == t.as_str())),
            "{}: found a code never drawn",
            case.name
        );
        if found < case.drawn.len() {
            let which: Vec<&str> = case
                .drawn
                .iter()
                .zip(&case.how)
                .filter(|(text, _)| !texts.contains(&text.as_str()))
                .map(|(_, how)| how.as_str())
                .collect();
            missed.push(format!("{}: {found} of {}, missed {which:?}", case.name, case.drawn.len()));
        }
    }
    assert!(missed.is_empty(), "codes missed: {missed:?}");
}
