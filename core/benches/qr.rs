//! QR decoding speed, image decoding included (`cargo bench -p twofold-core`).
//!
//! Targets on the 2-core reference machine: a 4K screenshot with one code
//! under 100 ms, a 4K screenshot with no code (every fallback runs) under
//! 300 ms, and a median under 2 ms per image on the ZXing corpus.

use std::io::Cursor;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use twofold_core::qr::{self, Limits};
use twofold_testkit::corpus;

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(corpus(rel)).unwrap_or_else(|e| panic!("{rel}: {e} (the corpus must sit at ../shared)"))
}

/// The busy 4K screenshot with its code painted over: nothing to find.
fn no_code_4k() -> Vec<u8> {
    let mut image =
        image::load_from_memory(&read("synthetic/s1_4k_busy_single_200px.png")).expect("png").into_rgb8();
    for y in 1500..1760 {
        for x in 2680..2940 {
            image.put_pixel(x, y, image::Rgb([128, 128, 128]));
        }
    }
    let mut png = Vec::new();
    image.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).expect("encode");
    assert!(qr::scan_bytes(&png, Limits::default()).expect("readable").texts.is_empty(), "no code left");
    png
}

fn zxing_images() -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(corpus("zxing-qrcode/expected.json")).expect("expected.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut images = Vec::new();
    for folder in json["folders"].as_object().expect("folders").values() {
        for image in folder["images"].as_array().expect("images") {
            images.push(read(&format!("zxing-qrcode/{}", image["image"].as_str().expect("name"))));
        }
    }
    images
}

fn screenshots(c: &mut Criterion) {
    let mut group = c.benchmark_group("screenshot");
    group.sample_size(20).measurement_time(Duration::from_secs(8));
    let single = read("synthetic/s1_4k_busy_single_200px.png");
    let four = read("synthetic/s2_4k_ga_export_4qr.png");
    let inverted = read("synthetic/s4_4k_dark_inverted_300px.png");
    let none = no_code_4k();
    let scan = |bytes: &[u8]| qr::scan_bytes(bytes, Limits::default()).expect("readable");
    group.bench_function("4k_one_code", |b| b.iter(|| scan(&single)));
    group.bench_function("4k_four_codes", |b| b.iter(|| scan(&four)));
    group.bench_function("4k_dark_inverted", |b| b.iter(|| scan(&inverted)));
    group.bench_function("4k_no_code", |b| b.iter(|| scan(&none)));
    // Where the time of the one-code case goes.
    group.bench_function("4k_png_decode_only", |b| b.iter(|| qr::decode_image(&single, Limits::default())));
    group.finish();
}

fn zxing_corpus(c: &mut Criterion) {
    let images = zxing_images();
    // Median per image, reported beside criterion's whole-corpus mean.
    let mut times: Vec<Duration> = images
        .iter()
        .map(|bytes| {
            let started = Instant::now();
            let _ = qr::scan_bytes(bytes, Limits::default());
            started.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "zxing corpus: {} images, median {:?}, p90 {:?}, max {:?} per image",
        times.len(),
        times[times.len() / 2],
        times[times.len() * 9 / 10],
        times[times.len() - 1]
    );
    let mut group = c.benchmark_group("zxing");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    group.bench_function("corpus_179_images", |b| {
        b.iter(|| {
            images
                .iter()
                .filter_map(|bytes| qr::scan_bytes(bytes, Limits::default()).ok())
                .map(|s| s.texts.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, screenshots, zxing_corpus);
criterion_main!(benches);
