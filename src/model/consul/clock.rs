//! The two time formats Consul sends, read without a date library (the `time` and `httpdate`
//! crates cost the bundle more than these few lines): RFC 3339 stream times and the HTTP `Date`
//! header (IMF-fixdate), both to Unix seconds.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A fixed-width run of ASCII digits.
fn number(text: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let part = text.get(range)?;
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn seconds(year: i64, month: i64, day: i64, h: i64, m: i64, s: i64) -> Option<i64> {
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && h < 24
        && m < 60
        && s <= 60;
    valid.then(|| days_from_civil(year, month, day) * 86_400 + h * 3_600 + m * 60 + s)
}

/// `2026-11-27T09:10:00Z`, `2026-11-27T10:10:00.123456789+01:00` → Unix seconds.
pub fn rfc3339_seconds(text: &str) -> Option<i64> {
    let t = text.trim();
    let sep = |i: usize, c: &[u8]| t.as_bytes().get(i).is_some_and(|b| c.contains(b));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let base = seconds(
        number(t, 0..4)?,
        number(t, 5..7)?,
        number(t, 8..10)?,
        number(t, 11..13)?,
        number(t, 14..16)?,
        number(t, 17..19)?,
    )?;
    let mut rest = &t[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            sign * (number(rest, 1..3)? * 3_600 + number(rest, 4..6)? * 60)
        }
    };
    Some(base - offset)
}

/// `Fri, 27 Nov 2026 09:10:00 GMT` → Unix seconds.
pub fn http_date_seconds(text: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t = text.trim();
    // "Fri, " then "27 Nov 2026 09:10:00 GMT"
    let rest = t.get(5..)?;
    if t.get(3..5)? != ", " || rest.len() != 24 || !rest.ends_with(" GMT") {
        return None;
    }
    let month = MONTHS.iter().position(|m| Some(*m) == rest.get(3..6))? as i64 + 1;
    let colons = rest.get(14..15)? == ":" && rest.get(17..18)? == ":";
    if !colons {
        return None;
    }
    seconds(
        number(rest, 7..11)?,
        month,
        number(rest, 0..2)?,
        number(rest, 12..14)?,
        number(rest, 15..17)?,
        number(rest, 18..20)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_offsets_and_fractions() {
        assert_eq!(rfc3339_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_seconds("2026-11-27T09:10:00Z"), Some(1_795_770_600));
        assert_eq!(
            rfc3339_seconds("2026-11-27T10:10:00.123456789+01:00"),
            Some(1_795_770_600)
        );
        assert_eq!(rfc3339_seconds("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(
            rfc3339_seconds("0001-01-01T00:00:00Z"),
            Some(-62_135_596_800)
        );
        for bad in [
            "yesterday",
            "2026-02-30T00:00:00Z",
            "2026-11-27T09:10:00",
            "2026-11-27T09:10:00.Z",
            "2026-11-27T25:10:00Z",
            "2026-11-27T09:10:00+0100",
            "",
        ] {
            assert_eq!(rfc3339_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            http_date_seconds("Fri, 27 Nov 2026 09:10:00 GMT"),
            Some(1_795_770_600)
        );
        assert_eq!(http_date_seconds("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        for bad in [
            "nope",
            "Fri, 27 Foo 2026 09:10:00 GMT",
            "Fri, 27 Nov 2026 09:10:00 UTC",
        ] {
            assert_eq!(http_date_seconds(bad), None, "{bad}");
        }
    }
}
