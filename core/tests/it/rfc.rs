//! RFC 4226 / RFC 6238 vectors from ../shared/corpus/rfc, plus a cross-check
//! against the independent `totp-rs` implementation.

use twofold_core::{Algorithm, Kind, Otp, OtpauthUri, Secret};

use crate::common::read_json;

fn algorithm(name: &str) -> Algorithm {
    match name {
        "SHA1" => Algorithm::Sha1,
        "SHA256" => Algorithm::Sha256,
        "SHA512" => Algorithm::Sha512,
        other => panic!("unexpected algorithm {other} in corpus"),
    }
}

#[test]
fn rfc4226_hotp_vectors() {
    let rfc = &read_json("rfc/expected.json")["rfc4226"];
    let secret = Secret::from_base32(rfc["secret_base32"].as_str().expect("base32")).expect("valid");
    let vectors = rfc["vectors"].as_array().expect("vectors");
    assert_eq!(vectors.len(), 10);
    for v in vectors {
        let counter = v["count"].as_u64().expect("count");
        let otp = Otp::new(secret.clone(), Algorithm::Sha1, 6, Kind::Hotp { counter }).expect("valid");
        assert_eq!(otp.code_at(0).value, v["hotp"].as_str().expect("hotp"), "counter {counter}");
    }
}

#[test]
fn rfc6238_totp_vectors() {
    let rfc = &read_json("rfc/expected.json")["rfc6238"];
    let vectors = rfc["vectors"].as_array().expect("vectors");
    assert_eq!(vectors.len(), 18, "6 times × 3 algorithms");
    for v in vectors {
        let name = v["algorithm"].as_str().expect("algorithm");
        let seed = rfc["seeds"][name]["base32"].as_str().expect("seed");
        let otp =
            Otp::new(Secret::from_base32(seed).expect("seed"), algorithm(name), 8, Kind::Totp { period: 30 })
                .expect("valid");
        let t = v["unix_time"].as_u64().expect("time");
        assert_eq!(otp.code_at(t).value, v["totp"].as_str().expect("totp"), "{name} at {t}");
    }
}

#[test]
fn extra_vector_through_a_uri() {
    for v in read_json("rfc/expected.json")["extra"].as_array().expect("extra") {
        let uri = format!(
            "otpauth://totp/x?secret={}&algorithm={}&digits={}&period={}",
            v["secret_base32"].as_str().expect("secret"),
            v["algorithm"].as_str().expect("algorithm"),
            v["digits"],
            v["period"]
        );
        let otp = OtpauthUri::parse(&uri).expect("parses").otp;
        assert_eq!(
            otp.code_at(v["unix_time"].as_u64().expect("time")).value,
            v["totp"].as_str().expect("totp")
        );
    }
}

/// Every parameter combination totp-rs supports gives the same codes.
#[test]
fn agrees_with_totp_rs() {
    let key: Vec<u8> = (0u8..20).map(|i| i.wrapping_mul(37).wrapping_add(11)).collect();
    let times = [0u64, 59, 1_111_111_109, 1_700_000_000, 2_000_000_000, 20_000_000_000];
    for (ours, theirs) in [
        (Algorithm::Sha1, totp_rs::Algorithm::SHA1),
        (Algorithm::Sha256, totp_rs::Algorithm::SHA256),
        (Algorithm::Sha512, totp_rs::Algorithm::SHA512),
    ] {
        for digits in 6..=9u8 {
            for period in [1u32, 15, 30, 60, 90] {
                let otp = Otp::new(
                    Secret::from_bytes(key.clone()).expect("key"),
                    ours,
                    digits,
                    Kind::Totp { period },
                )
                .expect("valid");
                let reference = totp_rs::Builder::new()
                    .with_algorithm(theirs)
                    .with_digits(digits)
                    .with_step_duration(u64::from(period))
                    .with_secret(key.clone())
                    .build_noncompliant();
                for t in times {
                    assert_eq!(
                        otp.code_at(t).value,
                        reference.generate(t).to_string(),
                        "{ours:?} {digits} digits {period}s at {t}"
                    );
                }
            }
        }
    }
    let steam = Otp::steam(Secret::from_bytes(key.clone()).expect("key"));
    let reference = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::Steam)
        .with_digits(5)
        .with_secret(key.clone())
        .build_noncompliant();
    for t in times {
        assert_eq!(steam.code_at(t).value, reference.generate(t).to_string(), "steam at {t}");
    }
}
