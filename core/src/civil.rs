//! The civil (proleptic Gregorian, UTC) calendar, for the dates in file
//! names: a backup's id and a transfer bundle's suggested name. A leaf, so
//! every feature that dates a file uses the same arithmetic.

/// Days since 1970-01-01 to (year, month, day): Howard Hinnant's algorithm.
pub fn civil_date(days: u64) -> (i64, u32, u32) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// (year, month, day) to days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn days_from_civil(y: u64, m: u64, d: u64) -> Option<u64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || y < 1970 {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).checked_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_round_trip() {
        for days in [0, 59, 60, 10_956, 11_016, 20_417, 47_482] {
            let (y, m, d) = civil_date(days);
            let (y, m, d) = (u64::try_from(y).expect("after 1970"), u64::from(m), u64::from(d));
            assert_eq!(days_from_civil(y, m, d), Some(days), "{y}-{m}-{d}");
        }
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        assert_eq!(days_from_civil(2025, 13, 1), None);
        assert_eq!(days_from_civil(1969, 12, 31), None);
    }
}
