//! QR codes drawn for the decoders to read back: the same encoder
//! (`qrcode`) and error correction as the phone export, so a test draws
//! what the window shows.

use image::{GrayImage, Luma};
use qrcode::{Color, EcLevel, QrCode};

/// The modules of `text`'s QR code inside a quiet zone of `quiet` modules
/// on each side: (side, dark?) row by row, `side` modules a row.
pub fn qr_modules(text: &str, quiet: usize) -> (usize, Vec<bool>) {
    // As `phone_export` encodes: medium error correction, low if the text
    // does not fit at medium.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L))
        .expect("a test's text fits in a QR code");
    let width = code.width();
    let colors = code.to_colors();
    let side = width + 2 * quiet;
    let dark = (0..side * side)
        .map(|i| {
            let (x, y) = ((i % side).checked_sub(quiet), (i / side).checked_sub(quiet));
            match (x, y) {
                (Some(x), Some(y)) if x < width && y < width => colors[y * width + x] == Color::Dark,
                _ => false,
            }
        })
        .collect();
    (side, dark)
}

/// `text`'s QR code black on white, `scale` pixels a module, inside a
/// quiet zone of `quiet` modules: what a screen or a screenshot shows.
pub fn qr_image(text: &str, scale: u32, quiet: u32) -> GrayImage {
    let (side, dark) = qr_modules(text, quiet as usize);
    let pixels = side as u32 * scale;
    GrayImage::from_fn(pixels, pixels, |x, y| {
        let (mx, my) = ((x / scale) as usize, (y / scale) as usize);
        Luma([if dark[my * side + mx] { 0 } else { 255 }])
    })
}
