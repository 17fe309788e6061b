//! The date reviews are checked against: the one clock a build reads, so
//! that builds are reproducible when it is fixed.

use crate::failure::Failure;

/// The date reviews are measured against: `--today`, else the environment
/// variable `SOPBOOK_TODAY` (YYYY-MM-DD), else `SOURCE_DATE_EPOCH` (the
/// reproducible-builds convention), else the clock, as a UTC date.
pub fn today(flag: Option<&str>) -> Result<jiff::civil::Date, Failure> {
    let parse = |text: &str, source: &str| {
        text.trim().parse::<jiff::civil::Date>().map_err(|_| {
            Failure::new(format!("{source} is not a date: `{text}`"))
                .help("write it as YYYY-MM-DD, e.g. 2026-09-01")
        })
    };
    if let Some(text) = flag {
        return parse(text, "--today");
    }
    if let Some(text) = std::env::var_os("SOPBOOK_TODAY").filter(|v| !v.is_empty()) {
        return parse(&text.to_string_lossy(), "SOPBOOK_TODAY");
    }
    let utc = jiff::tz::TimeZone::UTC;
    if let Some(text) = std::env::var_os("SOURCE_DATE_EPOCH").filter(|v| !v.is_empty()) {
        let text = text.to_string_lossy();
        let seconds: i64 = text.trim().parse().map_err(|_| {
            Failure::new(format!(
                "SOURCE_DATE_EPOCH is not a number of seconds: `{text}`"
            ))
        })?;
        let at = jiff::Timestamp::from_second(seconds)
            .map_err(|e| Failure::new(format!("SOURCE_DATE_EPOCH is out of range: {e}")))?;
        return Ok(at.to_zoned_datetime(utc).date());
    }
    Ok(jiff::Timestamp::now().to_zoned_datetime(utc).date())
}
