//! QR decoding on real images: the ZXing blackbox corpus (decode rate, no
//! wrong decodes, no panics) and synthetic screenshots (every code found).

use std::collections::BTreeMap;
use std::time::Instant;

use twofold_core::qr::{self, Limits, Stage};

use crate::common::{corpus, read_json};

/// Images of `../shared/corpus/zxing-qrcode` decoded correctly. Raise it when
/// the pipeline improves; it must never drop. (zxing-cpp: 165 of 179.)
const ZXING_FLOOR: usize = 165;

#[test]
fn zxing_corpus_decode_rate() {
    let expected = read_json("zxing-qrcode/expected.json");
    let folders = expected["folders"].as_object().expect("folders");
    let mut total = (0, 0, 0); // correct, wrong, images
    let mut stages: BTreeMap<Stage, usize> = BTreeMap::new();
    let mut times = Vec::new();
    let mut missed = Vec::new();
    println!("folder      decoded  wrong  images");
    for (name, folder) in folders {
        let (mut correct, mut wrong, mut count) = (0, 0, 0);
        for image in folder["images"].as_array().expect("images") {
            let rel = format!("zxing-qrcode/{}", image["image"].as_str().expect("image"));
            let want = image["expected_text"].as_str().expect("expected text");
            let bytes = std::fs::read(corpus(&rel)).expect("read image");
            let started = Instant::now();
            let scan = qr::scan_bytes(&bytes, Limits::default()).expect("corpus images are readable");
            times.push(started.elapsed());
            count += 1;
            if scan.texts.iter().any(|t| t.as_str() == want) {
                correct += 1;
                *stages.entry(scan.stage.expect("a stage found it")).or_default() += 1;
            } else if !scan.texts.is_empty() {
                wrong += 1;
                println!("WRONG {rel}: got {:?}", scan.texts);
            } else {
                missed.push(rel);
            }
        }
        println!("{name:<11} {correct:>7} {wrong:>6} {count:>7}");
        total = (total.0 + correct, total.1 + wrong, total.2 + count);
    }
    times.sort();
    println!("total       {:>7} {:>6} {:>7}", total.0, total.1, total.2);
    println!("by stage: {stages:?}");
    println!(
        "median {:?}, max {:?} per image (debug build; see `cargo bench` for release)",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    println!("missed: {missed:?}");
    assert_eq!(total.1, 0, "no wrong decodes");
    assert!(total.0 >= ZXING_FLOOR, "decoded {} of {}, below the floor of {ZXING_FLOOR}", total.0, total.2);
}

#[test]
fn synthetic_screenshots_decode_every_code() {
    let expected = read_json("synthetic/expected.json");
    for image in expected["images"].as_array().expect("images") {
        let rel = image["image"].as_str().expect("image");
        let want: Vec<&str> =
            image["expected"].as_array().expect("expected").iter().filter_map(|v| v.as_str()).collect();
        let bytes = std::fs::read(corpus(rel)).expect("read");
        let started = Instant::now();
        let scan = qr::scan_bytes(&bytes, Limits::default()).expect("readable");
        println!(
            "{rel}: {} of {} in {:?} ({:?})",
            scan.texts.len(),
            want.len(),
            started.elapsed(),
            scan.stage
        );
        assert_eq!(crate::common::texts(&scan), want, "{rel}: every code, in reading order");
    }
}

/// A code saved on a transparent background (common for PNG exports) must
/// not turn black-on-black when converted to grey.
#[test]
fn transparent_backgrounds_count_as_white() {
    let bytes = std::fs::read(corpus("synthetic/s3_1080p_busy_small_120px.png")).expect("read");
    let rgb = image::load_from_memory(&bytes).expect("png").into_rgb8();
    let mut rgba = image::RgbaImage::new(rgb.width(), rgb.height());
    for (x, y, p) in rgb.enumerate_pixels() {
        let light = p.0.iter().map(|&c| u32::from(c)).sum::<u32>() > 600;
        // Light pixels become fully transparent black, as many exporters write them.
        rgba.put_pixel(
            x,
            y,
            if light { image::Rgba([0, 0, 0, 0]) } else { image::Rgba([p[0], p[1], p[2], 255]) },
        );
    }
    let mut png = Vec::new();
    rgba.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("encode");
    let scan = qr::scan_bytes(&png, Limits::default()).expect("readable");
    assert_eq!(scan.texts.len(), 1, "found on a transparent background");
}
