//! One text form for every timestamp the APIs send, so that stored values sort and compare.
//!
//! The APIs send `Z` or `+00:00` offsets with 0, 3 or 6 fractional digits. Everything is
//! stored as UTC with exactly six fractional digits and a `Z`
//! (`2024-07-30T12:51:09.262410Z`): that form orders correctly as text and SQLite's date
//! functions read it.

use chrono::{DateTime, SecondsFormat, Utc};

/// Parses an RFC 3339 timestamp and returns its normalised UTC text form.
pub fn normalize(text: &str) -> Result<String, chrono::ParseError> {
    let parsed = DateTime::parse_from_rfc3339(text.trim())?;
    Ok(format_utc(parsed.with_timezone(&Utc)))
}

/// Formats a UTC time in the stored form.
pub fn format_utc(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The current time in the stored form.
pub fn now() -> String {
    format_utc(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wire_form_becomes_one_form() {
        for (input, expected) in [
            (
                "2024-07-30T12:51:09.262410+00:00",
                "2024-07-30T12:51:09.262410Z",
            ),
            ("2024-07-30T12:51:09.262410Z", "2024-07-30T12:51:09.262410Z"),
            ("2027-03-24T15:10:40.879Z", "2027-03-24T15:10:40.879000Z"),
            ("2026-06-10T16:22:39Z", "2026-06-10T16:22:39.000000Z"),
            ("2026-06-10T18:22:39+02:00", "2026-06-10T16:22:39.000000Z"),
            (
                "2026-06-10T16:22:39.123456789Z",
                "2026-06-10T16:22:39.123456Z",
            ),
        ] {
            assert_eq!(normalize(input).unwrap(), expected, "{input}");
        }
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(normalize("yesterday").is_err());
        assert!(normalize("2024-13-01T00:00:00Z").is_err());
    }

    #[test]
    fn normalised_forms_sort_as_time() {
        let a = normalize("2026-06-10T16:22:39Z").unwrap();
        let b = normalize("2026-06-10T16:22:39.5+00:00").unwrap();
        let c = normalize("2026-06-10T18:22:40+02:00").unwrap();
        assert!(a < b && b < c);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_either_normalises_or_errs(text in ".{0,40}") {
            if let Ok(normal) = normalize(&text) {
                prop_assert_eq!(normalize(&normal).unwrap(), normal);
            }
        }

        #[test]
        fn normalisation_preserves_order(a in 0i64..4_000_000_000, b in 0i64..4_000_000_000, micros in 0u32..1_000_000) {
            let ta = chrono::DateTime::from_timestamp(a, micros * 1000).unwrap();
            let tb = chrono::DateTime::from_timestamp(b, 0).unwrap();
            prop_assert_eq!(ta.cmp(&tb), format_utc(ta).cmp(&format_utc(tb)));
        }
    }
}
