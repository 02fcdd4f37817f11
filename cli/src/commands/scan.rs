//! `scan`: what the QR codes in images hold, without their secrets unless
//! `--reveal`; nothing is added and no vault is opened.

use std::path::PathBuf;

use twofold_core::account::printable;
use twofold_core::enroll::CodeReport;
use twofold_core::qr::{self, Limits};

use crate::failure::Failure;
use crate::print;

pub fn scan(images: &[PathBuf], reveal: bool, json: bool) -> Result<(), Failure> {
    #[derive(serde::Serialize)]
    #[serde(untagged)]
    enum Report {
        Codes { image: String, codes: Vec<CodeReport> },
        Error { image: String, error: String },
    }
    let mut found_any = false;
    let mut unreadable = Vec::new();
    let mut reports = Vec::new();
    for image in images {
        let name = image.display().to_string();
        let texts = match qr::scan_file(image, Limits::default()) {
            Ok(scan) => scan.texts,
            Err(e) => {
                unreadable.push(format!("{name}: {e}"));
                reports.push(Report::Error { image: name, error: e.to_string() });
                continue;
            }
        };
        found_any |= !texts.is_empty();
        if reveal {
            // Raw, but never a control character: a crafted code must not
            // drive the terminal it is revealed on.
            for text in &texts {
                println!("{}", printable(text));
            }
            continue;
        }
        let codes: Vec<CodeReport> = texts.iter().map(|t| CodeReport::of(t)).collect();
        if !json {
            if codes.is_empty() {
                println!("{name}: no QR code found");
            }
            for line in codes.iter().flat_map(CodeReport::lines) {
                println!("{name}: {line}");
            }
        }
        reports.push(Report::Codes { image: name, codes });
    }
    if json && !reveal {
        print::json(&reports);
    }
    if !unreadable.is_empty() {
        return Err(Failure::BadInput(unreadable.join("; ")));
    }
    if found_any {
        Ok(())
    } else {
        Err(Failure::Failed("no QR code was found".into()))
    }
}
