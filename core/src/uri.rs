//! `otpauth://` Key URIs: parsing with the leniency real QR codes need, and
//! formatting for export.
//!
//! Spec: <https://github.com/google/google-authenticator/wiki/Key-Uri-Format>.
//! Quirks handled: issuer in the label prefix
//! and/or the `issuer` parameter (the parameter wins when they disagree),
//! percent-encoded or raw UTF-8 labels, lenient base32, `+` for space in
//! parameters, unknown parameters ignored, `otpauth://steam/`, and
//! `encoder=steam` (KeePassXC's and pyotp's mark of a Steam account). A
//! parameter given twice with different values is refused: which one the
//! issuing site meant cannot be known, and a guess makes wrong codes.
//!
//! An otpauth URI *is* a secret, so no error here ever contains the input.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use zeroize::Zeroizing;

use crate::otp::{Algorithm, Kind, Otp, OtpError};
use crate::secret::{Secret, SecretError};

/// Why a URI was refused. Messages name the problem, never the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    #[error("not an otpauth:// URI")]
    NotOtpauth,
    #[error("this is a Google Authenticator export (otpauth-migration://), not a single account")]
    Migration,
    #[error("unsupported OTP type (expected totp, hotp or steam)")]
    UnknownType,
    #[error("the {0} is not valid percent-encoded UTF-8")]
    BadEncoding(&'static str),
    #[error("the secret parameter is missing")]
    MissingSecret,
    #[error("{0}")]
    Secret(#[from] SecretError),
    /// Never echoed: a secret pasted into the wrong parameter would show.
    #[error("unsupported algorithm (expected SHA1, SHA256 or SHA512)")]
    Algorithm,
    #[error("digits is not a number")]
    DigitsNotNumber,
    #[error("period is not a number")]
    PeriodNotNumber,
    #[error("an HOTP URI needs a counter parameter")]
    MissingCounter,
    #[error("counter is not a whole number")]
    CounterNotNumber,
    #[error("{0}")]
    Otp(#[from] OtpError),
    /// The same parameter twice with different values. Names the
    /// parameter, never a value (one may be the secret).
    #[error("the {0} parameter is given twice with different values")]
    Ambiguous(&'static str),
}

/// An account as a URI describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpauthUri {
    pub issuer: String,
    pub name: String,
    pub otp: Otp,
}

/// Characters kept literal in a label or parameter; everything else is
/// percent-encoded (so `:` inside an issuer cannot split the label).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

impl OtpauthUri {
    pub fn parse(text: &str) -> Result<Self, UriError> {
        let text = text.trim();
        let rest = strip_prefix_ignore_case(text, "otpauth://").ok_or_else(|| {
            if strip_prefix_ignore_case(text, "otpauth-migration://").is_some() {
                UriError::Migration
            } else {
                UriError::NotOtpauth
            }
        })?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (type_name, label) = path.split_once('/').unwrap_or((path, ""));
        let type_name = type_name.to_ascii_lowercase();

        let mut params = Params::parse(query)?;
        let label = decode(label, false).map_err(|()| UriError::BadEncoding("label"))?;
        let (prefix, name) = split_label(&label, params.issuer.as_deref());
        let issuer = params.issuer.take().filter(|i| !i.is_empty()).or(prefix).unwrap_or_default();

        let secret_text = params.secret.take().ok_or(UriError::MissingSecret)?;
        let secret = Secret::from_base32(&secret_text)?;
        let algorithm = params.algorithm()?;
        let digits = match params.digits.as_deref() {
            Some(d) => d.trim().parse::<u8>().map_err(|_| UriError::DigitsNotNumber)?,
            None => Otp::DEFAULT_DIGITS,
        };
        // Exports of Steam accounts by apps without a steam type: 5 digits + issuer Steam.
        let looks_like_steam = digits == Otp::STEAM_DIGITS && issuer.eq_ignore_ascii_case("steam");
        // KeePassXC and pyotp mark Steam with `encoder=steam`; any other
        // encoder renders codes in a way Twofold does not know, so its codes
        // would be wrong: refused.
        let steam_encoder = match params.encoder.as_deref().map(str::trim) {
            None | Some("") => false,
            Some(e) if e.eq_ignore_ascii_case("steam") => true,
            Some(_) => return Err(UriError::UnknownType),
        };
        let kind = match type_name.as_str() {
            "steam" => Kind::Steam,
            "totp" if looks_like_steam || steam_encoder => Kind::Steam,
            // A counter-based Steam code does not exist.
            _ if steam_encoder => return Err(UriError::UnknownType),
            "totp" => Kind::Totp { period: params.period()? },
            "hotp" => {
                let counter = params.counter.as_deref().ok_or(UriError::MissingCounter)?;
                let counter = counter.trim().parse().map_err(|_| UriError::CounterNotNumber)?;
                Kind::Hotp { counter }
            }
            // Never echoed: a mangled link may carry the secret in this place.
            _ => return Err(UriError::UnknownType),
        };
        let otp = Otp::new(secret, algorithm, digits, kind)?;
        Ok(Self { issuer: issuer.trim().to_owned(), name: name.trim().to_owned(), otp })
    }

    /// The canonical URI, with the issuer in both the label and the parameter
    /// as the spec recommends. Zeroized on drop: it contains the secret.
    pub fn to_uri(&self) -> Zeroizing<String> {
        let otp = &self.otp;
        let type_name = match otp.kind {
            Kind::Totp { .. } => "totp",
            Kind::Hotp { .. } => "hotp",
            Kind::Steam => "steam",
        };
        let name = utf8_percent_encode(&self.name, COMPONENT);
        let label = if self.issuer.is_empty() && self.name.contains(':') {
            // Readers split the decoded label at its first colon: an empty
            // issuer before it keeps the whole name the name.
            format!(":{name}")
        } else if self.issuer.is_empty() {
            name.to_string()
        } else {
            format!("{}:{}", utf8_percent_encode(&self.issuer, COMPONENT), name)
        };
        let issuer = if self.issuer.is_empty() {
            String::new()
        } else {
            format!("&issuer={}", utf8_percent_encode(&self.issuer, COMPONENT))
        };
        let last = match otp.kind {
            Kind::Totp { period } => format!("&period={period}"),
            Kind::Hotp { counter } => format!("&counter={counter}"),
            Kind::Steam => format!("&period={}", Otp::STEAM_PERIOD),
        };
        let rest = format!("&algorithm={}&digits={}{last}", otp.algorithm.as_str(), otp.digits);
        // The parts around the secret hold none of it; the whole is sized
        // first, so no growing string leaves a copy of the secret behind.
        crate::sized::concat(&[
            &format!("otpauth://{type_name}/{label}?secret="),
            &otp.secret.to_base32(),
            &issuer,
            &rest,
        ])
    }
}

/// The parameters Twofold reads; all others are ignored. A parameter given
/// twice must have the same value both times ([`UriError::Ambiguous`]).
#[derive(Default)]
struct Params {
    secret: Option<Zeroizing<String>>,
    issuer: Option<String>,
    algorithm: Option<String>,
    digits: Option<String>,
    period: Option<String>,
    counter: Option<String>,
    encoder: Option<String>,
}

impl Params {
    fn parse(query: &str) -> Result<Self, UriError> {
        let mut params = Params::default();
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let slot = match key.to_ascii_lowercase().as_str() {
                "secret" => {
                    let value = Zeroizing::new(
                        decode(value, true).map_err(|()| UriError::Secret(SecretError::NotBase32))?,
                    );
                    match &params.secret {
                        None => params.secret = Some(value),
                        Some(first) if same_secret(first, &value) => {}
                        Some(_) => return Err(UriError::Ambiguous("secret")),
                    }
                    continue;
                }
                "issuer" => &mut params.issuer,
                "algorithm" => &mut params.algorithm,
                "digits" => &mut params.digits,
                "period" => &mut params.period,
                "counter" => &mut params.counter,
                "encoder" => &mut params.encoder,
                _ => continue,
            };
            let name = param_name(key);
            let value = decode(value, true).map_err(|()| UriError::BadEncoding(name))?;
            match slot {
                None => *slot = Some(value),
                Some(first) if same_value(name, first, &value) => {}
                Some(_) => return Err(UriError::Ambiguous(name)),
            }
        }
        Ok(params)
    }

    fn algorithm(&self) -> Result<Algorithm, UriError> {
        let Some(raw) = self.algorithm.as_deref() else {
            return Ok(Algorithm::Sha1);
        };
        Algorithm::from_name(raw).ok_or(UriError::Algorithm)
    }

    fn period(&self) -> Result<u32, UriError> {
        match self.period.as_deref() {
            Some(p) => p.trim().parse().map_err(|_| UriError::PeriodNotNumber),
            None => Ok(Otp::DEFAULT_PERIOD),
        }
    }
}

fn param_name(key: &str) -> &'static str {
    match key.to_ascii_lowercase().as_str() {
        "issuer" => "issuer",
        "algorithm" => "algorithm",
        "digits" => "digits",
        "period" => "period",
        "encoder" => "encoder",
        _ => "counter",
    }
}

/// Two spellings of one parameter that mean the same: numbers and names
/// ignoring surrounding spaces, names ignoring case; the issuer exactly.
fn same_value(name: &str, a: &str, b: &str) -> bool {
    match name {
        "issuer" => a == b,
        _ => a.trim().eq_ignore_ascii_case(b.trim()),
    }
}

/// Two spellings of one key: base32 ignores case, spaces and padding.
fn same_secret(a: &str, b: &str) -> bool {
    match (Secret::from_base32(a), Secret::from_base32(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Percent-decodes; in query values `+` also means space (form encoding).
fn decode(text: &str, plus_is_space: bool) -> Result<String, ()> {
    let text = if plus_is_space { text.replace('+', " ") } else { text.to_owned() };
    percent_decode_str(&text).decode_utf8().map(|s| s.into_owned()).map_err(|_| ())
}

/// Splits `Issuer:name` (spaces may follow the colon). When the `issuer`
/// parameter is itself a prefix of the label, it is used as the split point,
/// so issuers containing a colon survive.
fn split_label(label: &str, issuer_param: Option<&str>) -> (Option<String>, String) {
    if let Some(issuer) = issuer_param.filter(|i| !i.is_empty()) {
        if let Some(rest) = label.strip_prefix(issuer).and_then(|r| r.strip_prefix(':')) {
            return (Some(issuer.to_owned()), rest.trim_start().to_owned());
        }
    }
    match label.split_once(':') {
        Some((prefix, name)) => (Some(prefix.trim().to_owned()), name.trim_start().to_owned()),
        None => (None, label.to_owned()),
    }
}

/// `text` after `prefix`, the prefix matched ignoring ASCII case.
pub(crate) fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `make fuzz` (target `uri`): a name with a colon and no
    /// issuer came back split into an issuer and a shorter name.
    #[test]
    fn a_name_with_a_colon_and_no_issuer_round_trips() {
        let uri =
            OtpauthUri::parse(&format!("otpauth://totp/:host:22%20(ssh)?secret={KEY}")).expect("parses");
        assert_eq!((uri.issuer.as_str(), uri.name.as_str()), ("", "host:22 (ssh)"));
        assert_eq!(OtpauthUri::parse(&uri.to_uri()).expect("parses"), uri);
    }

    const KEY: &str = "JBSWY3DPEHPK3PXP";

    fn parse(uri: &str) -> OtpauthUri {
        OtpauthUri::parse(uri).unwrap_or_else(|e| panic!("{uri} should parse: {e}"))
    }

    fn parse_err(uri: &str) -> UriError {
        let err = OtpauthUri::parse(uri).expect_err("should be refused");
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains(KEY) && !shown.to_lowercase().contains("jbsw"),
            "error leaks the secret: {shown}"
        );
        err
    }

    #[test]
    fn minimal_uri_gets_the_defaults() {
        let u = parse(&format!("otpauth://totp/alice@example.com?secret={KEY}"));
        assert_eq!((u.issuer.as_str(), u.name.as_str()), ("", "alice@example.com"));
        assert_eq!(u.otp.algorithm, Algorithm::Sha1);
        assert_eq!(u.otp.digits, 6);
        assert_eq!(u.otp.kind, Kind::Totp { period: 30 });
    }

    #[test]
    fn issuer_from_label_prefix_and_parameter() {
        let both =
            parse(&format!("otpauth://totp/ACME%20Co:john.doe@email.com?secret={KEY}&issuer=ACME%20Co"));
        assert_eq!((both.issuer.as_str(), both.name.as_str()), ("ACME Co", "john.doe@email.com"));
        let prefix_only = parse(&format!("otpauth://totp/Example:alice?secret={KEY}"));
        assert_eq!((prefix_only.issuer.as_str(), prefix_only.name.as_str()), ("Example", "alice"));
        let param_only = parse(&format!("otpauth://totp/alice?secret={KEY}&issuer=Example"));
        assert_eq!((param_only.issuer.as_str(), param_only.name.as_str()), ("Example", "alice"));
    }

    #[test]
    fn parameter_wins_when_issuers_disagree() {
        let u = parse(&format!("otpauth://totp/OldName:alice?secret={KEY}&issuer=NewName"));
        assert_eq!((u.issuer.as_str(), u.name.as_str()), ("NewName", "alice"));
    }

    #[test]
    fn encoded_colon_and_spaces_after_it() {
        let u = parse(&format!("otpauth://totp/Big%20Corp%3A%20%20bob?secret={KEY}"));
        assert_eq!((u.issuer.as_str(), u.name.as_str()), ("Big Corp", "bob"));
    }

    #[test]
    fn issuer_containing_a_colon() {
        let u = parse(&format!("otpauth://totp/Corp%3A%20EU:bob?secret={KEY}&issuer=Corp%3A%20EU"));
        assert_eq!((u.issuer.as_str(), u.name.as_str()), ("Corp: EU", "bob"));
    }

    #[test]
    fn raw_utf8_labels_and_plus_in_parameters() {
        let u = parse(&format!("otpauth://totp/Bücher Laden:jürgen?secret={KEY}&issuer=B%C3%BCcher+Laden"));
        assert_eq!((u.issuer.as_str(), u.name.as_str()), ("Bücher Laden", "jürgen"));
    }

    #[test]
    fn lenient_secrets() {
        for secret in [
            "jbswy3dpehpk3pxp",
            "JBSW%20Y3DP%20EHPK%203PXP",
            "JBSWY3DPEHPK3PXP%3D%3D%3D",
            "jbsw+y3dp+ehpk+3pxp",
        ] {
            let u = parse(&format!("otpauth://totp/a?secret={secret}"));
            assert_eq!(u.otp.secret.to_base32().as_str(), KEY, "secret spelled {secret}");
        }
    }

    #[test]
    fn unknown_parameters_and_case_are_ignored() {
        let u = parse(&format!(
            "OTPAUTH://TOTP/a?Secret={KEY}&image=https%3A%2F%2Fx.test%2Fi.png&codeDisplay=%7B%7D&Algorithm=sha256&DIGITS=8&period=60"
        ));
        assert_eq!(u.otp.algorithm, Algorithm::Sha256);
        assert_eq!(u.otp.digits, 8);
        assert_eq!(u.otp.kind, Kind::Totp { period: 60 });
    }

    #[test]
    fn algorithm_spellings() {
        for (text, want) in [
            ("SHA512", Algorithm::Sha512),
            ("sha-256", Algorithm::Sha256),
            ("Algorithm.sha1", Algorithm::Sha1),
        ] {
            assert_eq!(parse(&format!("otpauth://totp/a?secret={KEY}&algorithm={text}")).otp.algorithm, want);
        }
    }

    #[test]
    fn hotp_and_steam() {
        let h = parse(&format!("otpauth://hotp/Bank:me?secret={KEY}&counter=42"));
        assert_eq!(h.otp.kind, Kind::Hotp { counter: 42 });
        let s = parse(&format!("otpauth://steam/Steam:gamer?secret={KEY}"));
        assert_eq!((s.otp.kind, s.otp.digits), (Kind::Steam, 5));
        let s2 = parse(&format!("otpauth://totp/Steam:gamer?secret={KEY}&issuer=Steam&digits=5"));
        assert_eq!(s2.otp.kind, Kind::Steam);
    }

    /// Issue 23: KeePassXC and pyotp mark Steam accounts with
    /// `encoder=steam`; they came in as 6-digit TOTP, every code wrong.
    #[test]
    fn issue_23_encoder_steam_is_a_steam_account() {
        for uri in [
            format!("otpauth://totp/Steam:gamer?secret={KEY}&encoder=steam"),
            format!("otpauth://totp/gamer?secret={KEY}&issuer=Valve&digits=5&period=30&encoder=Steam"),
            format!("otpauth://totp/gamer?secret={KEY}&encoder=steam&encoder=steam"),
        ] {
            let u = parse(&uri);
            assert_eq!(
                (u.otp.kind, u.otp.digits, u.otp.algorithm),
                (Kind::Steam, 5, Algorithm::Sha1),
                "{uri}"
            );
            assert_eq!(u.otp.secret.to_base32().as_str(), KEY);
        }
        assert_eq!(
            parse(&format!("otpauth://totp/a?secret={KEY}&encoder=")).otp.kind,
            Kind::Totp { period: 30 }
        );
        assert_eq!(
            parse_err(&format!("otpauth://totp/a?secret={KEY}&encoder=yandex")),
            UriError::UnknownType
        );
        assert_eq!(
            parse_err(&format!("otpauth://hotp/a?secret={KEY}&counter=1&encoder=steam")),
            UriError::UnknownType
        );
    }

    /// Issue 23: a parameter given twice with different values is refused
    /// (naming the parameter); the same value twice is one value.
    #[test]
    fn issue_23_a_parameter_twice_with_different_values_is_ambiguous() {
        for (extra, name) in [
            ("&algorithm=SHA1&algorithm=SHA256", "algorithm"),
            ("&digits=6&digits=8", "digits"),
            ("&period=30&period=60", "period"),
            ("&issuer=A&issuer=B", "issuer"),
            ("&secret=GEZDGNBVGY3TQOJQ", "secret"),
            ("&encoder=steam&encoder=", "encoder"),
        ] {
            let err = parse_err(&format!("otpauth://totp/a?secret={KEY}{extra}"));
            assert_eq!(err, UriError::Ambiguous(name), "{extra}");
            assert!(!err.to_string().contains("GEZD"), "{err}");
        }
        assert_eq!(
            parse_err(&format!("otpauth://hotp/a?secret={KEY}&counter=1&counter=2")),
            UriError::Ambiguous("counter")
        );
        let same = parse(&format!(
            "otpauth://totp/a?secret={KEY}&algorithm=SHA256&Algorithm=sha256&digits=8&digits=8&secret=jbsw%20y3dp%20ehpk%203pxp&issuer=A&issuer=A"
        ));
        assert_eq!((same.otp.algorithm, same.otp.digits, same.issuer.as_str()), (Algorithm::Sha256, 8, "A"));
        assert_eq!(
            UriError::Ambiguous("algorithm").to_string(),
            "the algorithm parameter is given twice with different values"
        );
    }

    #[test]
    fn ten_digits_and_odd_periods() {
        let u = parse(&format!("otpauth://totp/a?secret={KEY}&digits=10&period=7"));
        assert_eq!((u.otp.digits, u.otp.kind), (10, Kind::Totp { period: 7 }));
    }

    #[test]
    fn each_error_is_specific() {
        assert_eq!(parse_err(&format!("https://example.com/?secret={KEY}")), UriError::NotOtpauth);
        assert_eq!(parse_err("otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8"), UriError::Migration);
        assert_eq!(parse_err(&format!("otpauth://motp/a?secret={KEY}")), UriError::UnknownType);
        // Issue 12: a link mangled so that the secret sits where the type
        // goes is refused without a single character of it.
        let mangled = parse_err(&format!("otpauth://{KEY}/a?secret={KEY}"));
        assert_eq!(mangled, UriError::UnknownType);
        assert!(!format!("{mangled} {mangled:?}").contains(&KEY[..4]), "{mangled}");
        assert_eq!(parse_err("otpauth://totp/a?issuer=x"), UriError::MissingSecret);
        assert_eq!(parse_err("otpauth://totp/a?secret="), UriError::Secret(SecretError::Empty));
        assert_eq!(
            parse_err("otpauth://totp/a?secret=JBSWY3DPEHPK3PX1"),
            UriError::Secret(SecretError::NotBase32)
        );
        assert_eq!(parse_err(&format!("otpauth://totp/a?secret={KEY}&algorithm=MD5")), UriError::Algorithm);
        assert_eq!(
            parse_err(&format!("otpauth://totp/a?secret={KEY}&digits=six")),
            UriError::DigitsNotNumber
        );
        assert_eq!(
            parse_err(&format!("otpauth://totp/a?secret={KEY}&digits=4")),
            UriError::Otp(OtpError::Digits)
        );
        assert_eq!(
            parse_err(&format!("otpauth://totp/a?secret={KEY}&digits=11")),
            UriError::Otp(OtpError::Digits)
        );
        assert_eq!(
            parse_err(&format!("otpauth://totp/a?secret={KEY}&period=abc")),
            UriError::PeriodNotNumber
        );
        assert_eq!(
            parse_err(&format!("otpauth://totp/a?secret={KEY}&period=0")),
            UriError::Otp(OtpError::Period)
        );
        assert_eq!(parse_err(&format!("otpauth://hotp/a?secret={KEY}")), UriError::MissingCounter);
        assert_eq!(
            parse_err(&format!("otpauth://hotp/a?secret={KEY}&counter=-1")),
            UriError::CounterNotNumber
        );
        assert_eq!(parse_err(&format!("otpauth://totp/%FF?secret={KEY}")), UriError::BadEncoding("label"));
        assert_eq!(
            parse_err(&format!("otpauth://totp/a?secret={KEY}&issuer=%C3")),
            UriError::BadEncoding("issuer")
        );
    }

    #[test]
    fn messages_read_plainly() {
        assert_eq!(UriError::Secret(SecretError::NotBase32).to_string(), "secret is not valid base32");
        assert_eq!(UriError::MissingSecret.to_string(), "the secret parameter is missing");
        assert_eq!(UriError::Otp(OtpError::Digits).to_string(), "digits must be between 6 and 10");
    }

    /// Issue 22: a secret pasted into the algorithm parameter was echoed
    /// back in the error, 16 characters of it.
    #[test]
    fn issue_22_an_unknown_algorithm_is_not_echoed() {
        let err = parse_err(&format!("otpauth://totp/a?secret=AAAA&algorithm={KEY}"));
        assert_eq!(err, UriError::Algorithm);
        assert!(!format!("{err} {err:?}").contains(&KEY[..4]), "{err}");
    }

    #[test]
    fn format_round_trips() {
        for uri in [
            format!("otpauth://totp/Corp%3A%20EU:b%C3%B6b%20smith?secret={KEY}&issuer=Corp%3A%20EU&algorithm=SHA512&digits=8&period=60"),
            format!("otpauth://hotp/Bank:me?secret={KEY}&counter=7"),
            format!("otpauth://steam/Steam:gamer?secret={KEY}"),
            format!("otpauth://totp/nobody?secret={KEY}&digits=10"),
        ] {
            let first = parse(&uri);
            let again = parse(&first.to_uri());
            assert_eq!(first, again, "{uri}");
        }
        let canonical = parse(&format!("otpauth://totp/A%20B:c?secret={KEY}")).to_uri();
        assert_eq!(
            canonical.as_str(),
            format!("otpauth://totp/A%20B:c?secret={KEY}&issuer=A%20B&algorithm=SHA1&digits=6&period=30")
        );
    }
}
