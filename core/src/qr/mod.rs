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
//! Passes 2–5 stop at the first that finds something. The work is bounded
//! by counts, never by a clock: images beyond [`Limits`] are refused before
//! they are decoded, at most `places::MAX_PLACES` crops follow a pass, and
//! the passes are fixed. So an image gives the same codes on a busy laptop
//! as on an idle one (a wall-clock budget once skipped the passes that read
//! a kit page whenever the machine was loaded). rxing's multi-code search tries every triple of finder-pattern
//! candidates, so an image tiled with hundreds of codes would keep it busy
//! for minutes and gigabytes, with no way to stop it midway: before each
//! rxing pass a linear count of the candidates refuses such an image as
//! [`QrError::Crowded`].

//!
//! Here: the API ([`scan_bytes`], [`scan_rgba`], [`scan_file`], [`Limits`],
//! [`Scan`], [`QrError`]); `image.rs` turns files and pixels into a
//! greyscale image; `passes.rs` runs the passes above and puts what they
//! find in reading order; `places.rs` is the finder-pattern locator that
//! counts candidates and finds the places a pass left over.

mod image;
mod passes;
mod places;

use zeroize::Zeroizing;

pub use self::image::decode_image;
use self::image::to_grey;
pub use passes::scan;

/// Images longer than this are shrunk by a whole factor (to at most this
/// size) for the heavier passes.
pub const DOWNSCALED_SIDE: u32 = 1600;

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
}

impl Default for Limits {
    /// 64 MiB files and 50 megapixels (an 8K screenshot is 33).
    fn default() -> Self {
        Self { max_bytes: crate::fs::MAX_IMPORT_BYTES, max_pixels: 50_000_000 }
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

/// What a scan found: texts in reading order (top to bottom, left to right),
/// cleared when dropped (a setup link holds its secret).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    pub texts: Vec<Zeroizing<String>>,
    pub stage: Option<Stage>,
}

/// Decodes an image file's bytes and scans it.
pub fn scan_bytes(bytes: &[u8], limits: Limits) -> Result<Scan, QrError> {
    let image = decode_image(bytes, limits)?;
    scan(&image)
}

/// Scans raw RGBA pixels (e.g. a clipboard image), within `limits`.
pub fn scan_rgba(width: u32, height: u32, rgba: Vec<u8>, limits: Limits) -> Result<Scan, QrError> {
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(QrError::TooLarge { width, height, max_pixels: limits.max_pixels });
    }
    let image = ::image::RgbaImage::from_raw(width, height, rgba).ok_or(QrError::Unreadable)?;
    scan(&to_grey(::image::DynamicImage::ImageRgba8(image)))
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
}
