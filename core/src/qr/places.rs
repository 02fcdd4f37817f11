//! The finder-pattern locator: where the binarised image holds the three
//! squares of a QR code's corners ([`finder_patterns`], a linear count that
//! also refuses crowded images), and the places where three of them sit as
//! a code's do ([`code_places`]), each a small crop for a pass to decode.

use rxing::common::BitMatrix;
use rxing::qrcode::detector::FinderPatternFinder;

/// Whether modules alternate dark and light (as a QR code's timing pattern
/// does) along the line from `corner` towards `to`, three modules over
/// towards `side`, between the two finder patterns. Most modules must fit:
/// a blur or JPEG noise may flip a few.
pub(super) fn timing_between(
    matrix: &BitMatrix,
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

/// A finder pattern's centre and module size, in pixels.
#[derive(Clone, Copy)]
pub(super) struct Pattern {
    pub(super) x: u32,
    pub(super) y: u32,
    pub(super) module: u32,
}

/// At most this many places are decoded after a full pass: a busy screen
/// full of pattern-like icons cannot make the scan slow.
pub(super) const MAX_PLACES: usize = 12;

/// A region that may hold a code the full pass missed (see [`code_places`]).
pub(super) struct Place {
    pub(super) left: u32,
    pub(super) top: u32,
    pub(super) width: u32,
    pub(super) height: u32,
    /// Light on dark: decoded inverted.
    pub(super) inverted: bool,
    /// Enlarged by this before decoding (small modules).
    pub(super) scale: f64,
}

/// The places where three of `patterns` sit as a QR code's do: similar
/// module sizes, two at the same distance (at least a version 1 code's 14
/// modules) from the third and at a right angle to it. Busy screens hold
/// stray pattern-like spots; they rarely line up like this, and each place
/// found is one small crop to decode.
pub(super) fn code_places(matrix: &BitMatrix, patterns: &[Pattern], inverted: bool) -> Vec<Place> {
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
pub(super) fn finder_patterns(matrix: &BitMatrix, stop_after: usize) -> [Vec<Pattern>; 2] {
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
pub(super) fn vertical_pattern(matrix: &BitMatrix, x: u32, y: u32, module: u32, inverted: bool) -> bool {
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
