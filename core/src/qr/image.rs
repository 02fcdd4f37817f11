//! Turning an image file's bytes (or raw pixels) into the greyscale image
//! every pass reads, within [`Limits`], and the resampling the passes use.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use image::{imageops, GrayImage};

use super::{Limits, QrError};

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
/// screenshot than the generic conversion, which matters for a scan's cost.
pub(super) fn to_grey(image: image::DynamicImage) -> GrayImage {
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

/// Averages k×k blocks: a fast, alias-free downscale by a whole factor.
pub(super) fn shrink(image: &GrayImage, k: u32) -> GrayImage {
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

pub(super) fn resize(image: &GrayImage, factor: f64, filter: imageops::FilterType) -> GrayImage {
    let (w, h) = image.dimensions();
    let scale = |v: u32| ((f64::from(v) * factor).round() as u32).max(1);
    imageops::resize(image, scale(w), scale(h), filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_images_are_refused_before_decoding() {
        let mut png = Vec::new();
        let image = GrayImage::new(3000, 3000);
        image::DynamicImage::ImageLuma8(image)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        let limits = Limits { max_pixels: 1_000_000, ..Limits::default() };
        assert_eq!(
            decode_image(&png, limits),
            Err(QrError::TooLarge { width: 3000, height: 3000, max_pixels: 1_000_000 })
        );
        let limits = Limits { max_bytes: 100, ..Limits::default() };
        assert!(matches!(decode_image(&png, limits), Err(QrError::FileTooLarge { .. })));
    }
}
