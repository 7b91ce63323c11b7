//! Dates as people type them: `ДД.ММ.ГГГГ`, or ISO `ГГГГ-ММ-ДД` (what an `<input type="date">`
//! sends).

use super::ValidationKind;
use time::Date;
use time::macros::format_description;

pub fn parse(input: &str) -> Result<Date, ValidationKind> {
    let input = input.trim();
    if input.is_empty() {
        return Err(ValidationKind::Empty);
    }
    if input.len() > 10 {
        return Err(ValidationKind::DateFormat);
    }
    let russian = format_description!("[day].[month].[year]");
    let iso = format_description!("[year]-[month]-[day]");
    Date::parse(input, russian)
        .or_else(|_| Date::parse(input, iso))
        .map_err(|_| ValidationKind::DateFormat)
}

/// `ДД.ММ.ГГГГ`.
pub fn display(date: Date) -> String {
    format!(
        "{:02}.{:02}.{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// ISO `ГГГГ-ММ-ДД`, the wire form.
pub fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Whole years from `from` to `to` (the age on `to` of someone born on `from`).
pub fn full_years(from: Date, to: Date) -> i32 {
    let mut years = to.year() - from.year();
    if (u8::from(to.month()), to.day()) < (u8::from(from.month()), from.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn both_forms() {
        assert_eq!(parse("03.02.2001"), Ok(date!(2001 - 02 - 03)));
        assert_eq!(parse("2001-02-03"), Ok(date!(2001 - 02 - 03)));
        assert_eq!(display(date!(2001 - 02 - 03)), "03.02.2001");
        assert_eq!(iso(date!(2001 - 02 - 03)), "2001-02-03");
        assert_eq!(parse("31.02.2001"), Err(ValidationKind::DateFormat));
        assert_eq!(parse("2001/02/03"), Err(ValidationKind::DateFormat));
        assert_eq!(parse(""), Err(ValidationKind::Empty));
    }

    #[test]
    fn ages() {
        assert_eq!(full_years(date!(2000 - 02 - 29), date!(2014 - 02 - 28)), 13);
        assert_eq!(full_years(date!(2000 - 02 - 29), date!(2014 - 03 - 01)), 14);
        assert_eq!(full_years(date!(2000 - 05 - 10), date!(2026 - 05 - 10)), 26);
    }
}
