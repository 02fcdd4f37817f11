//! The passes of a scan, cheapest first (see the module header of `qr`),
//! what they found gathered in the original image's coordinates, and the
//! reading order of the result.

use std::borrow::Cow;
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

use image::{imageops, GrayImage};
use rxing::common::HybridBinarizer;
use rxing::multi::qrcode::QRCodeMultiReader;
use rxing::multi::MultipleBarcodeReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource};
use zeroize::Zeroizing;

use super::image::{resize, shrink};
use super::places::{code_places, finder_patterns, Pattern, Place, MAX_PLACES};
use super::{QrError, Scan, Stage, DOWNSCALED_SIDE, MAX_CODES_PER_IMAGE, MAX_FINDER_CANDIDATES};

/// Images whose longest side is below this are also tried at twice the size.
const UPSCALE_BELOW: u32 = 800;

/// Runs the passes in order until one finds a code.
/// When the first finds some, the places where finder patterns still sit
/// as a code's do (a smaller code, a light-on-dark one beside dark-on-light
/// ones) are decoded one by one: a busy screenshot gives every code it
/// holds, at the cost of a few small crops, and a single code costs no
/// more than one pass and a linear count.
pub fn scan(image: &GrayImage) -> Result<Scan, QrError> {
    let (width, height) = image.dimensions();
    if width == 0 || height == 0 {
        return Ok(Scan::default());
    }
    let mut found = Found::default();
    let first = rxing_all(image)?;
    if !first.hits.is_empty() {
        found.add(first.hits, 1.0, Stage::Full);
        for place in first.places_left {
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
    {
        let mut inverted = base.clone().into_owned();
        // A plain loop: the generic `imageops::invert` is far slower.
        inverted.iter_mut().for_each(|p| *p = 255 - *p);
        let hits = rxing_all(&inverted)?.hits;
        if !hits.is_empty() {
            found.add(hits, factor, Stage::Inverted);
            return Ok(found.finish());
        }
    }
    if longest < UPSCALE_BELOW {
        let large = resize(image, 2.0, imageops::FilterType::CatmullRom);
        let hits = rxing_all(&large)?.hits;
        if !hits.is_empty() {
            found.add(hits, 2.0, Stage::Upscaled);
            return Ok(found.finish());
        }
    }
    // rqrr on the original where it is small enough to be cheap: a page
    // scanned at 150 dpi (an emergency kit's, its modules 5 pixels wide)
    // loses its codes in the shrunk copy.
    if u64::from(width) * u64::from(height) <= RQRR_FULL_PIXELS {
        found.add(rqrr_all(image), 1.0, Stage::Rqrr);
    } else {
        found.add(rqrr_all(&base), factor, Stage::Rqrr);
    }
    Ok(found.finish())
}

/// Images of at most this many pixels get the last pass at full size.
const RQRR_FULL_PIXELS: u64 = 4_000_000;

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
/// coordinates of the image it was found in. The text may be a setup link,
/// secret and all: cleared when dropped.
struct Hit {
    text: Zeroizing<String>,
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
    // Each text once (a handful of codes: no set, which would hold copies).
    let mut texts: Vec<Zeroizing<String>> = Vec::new();
    for hit in rows.into_iter().flat_map(|mut row| {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        row
    }) {
        if !texts.contains(&hit.text) {
            texts.push(hit.text);
        }
    }
    Scan { texts, stage: Some(stage) }
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
                    text: Zeroizing::new(r.getText().to_owned()),
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
                    text: Zeroizing::new(text),
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
    fn a_blank_image_has_no_code() {
        let scan = scan(&GrayImage::from_pixel(640, 480, image::Luma([255])));
        assert_eq!(scan, Ok(Scan::default()));
    }
}
