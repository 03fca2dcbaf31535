//! Brazilian national holidays, the moveable ones derived from Easter Sunday.
//!
//! Fixed: 1 Jan (Confraternização Universal), 21 Apr (Tiradentes), 1 May (Dia do Trabalho),
//! 7 Sep (Independência), 12 Oct (Nossa Senhora Aparecida), 2 Nov (Finados), 15 Nov
//! (Proclamação da República), 20 Nov (Zumbi e Consciência Negra, national from 2024 by
//! Lei 14.759/2023) and 25 Dec (Natal). Moveable: Carnival Monday and Tuesday (48 and 47 days
//! before Easter; *pontos facultativos*, widely observed), Good Friday (2 days before) and
//! Corpus Christi (60 days after, a *ponto facultativo*).

use chrono::{Datelike, Duration, NaiveDate};

/// Easter Sunday of a Gregorian year, by the anonymous Gregorian algorithm (Meeus/Jones/
/// Butcher). `None` before 1583 (the first full Gregorian year) or outside chrono's dates.
///
/// ```
/// use chrono::NaiveDate;
/// use crm_core::workflow::calendar::easter_sunday;
/// assert_eq!(easter_sunday(2026), NaiveDate::from_ymd_opt(2026, 4, 5));
/// assert_eq!(easter_sunday(1500), None);
/// ```
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    if year < 1583 {
        return None;
    }
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// Which holiday families apply; mirrors [`super::calendar::HolidayRules`]'s switches.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Switches {
    pub national: bool,
    pub carnival: bool,
    pub corpus_christi: bool,
}

const FIXED: [(u32, u32, &str); 9] = [
    (1, 1, "Confraternização Universal"),
    (4, 21, "Tiradentes"),
    (5, 1, "Dia do Trabalho"),
    (9, 7, "Independência do Brasil"),
    (10, 12, "Nossa Senhora Aparecida"),
    (11, 2, "Finados"),
    (11, 15, "Proclamação da República"),
    (11, 20, "Dia Nacional de Zumbi e da Consciência Negra"),
    (12, 25, "Natal"),
];

/// The first year 20 November is a national holiday (Lei 14.759/2023).
const CONSCIENCIA_NEGRA_FROM: i32 = 2024;

/// The national holidays of `year` under `switches`, named, in date order.
pub(crate) fn national_holidays(year: i32, switches: Switches) -> Vec<(NaiveDate, &'static str)> {
    let mut out = Vec::with_capacity(13);
    if switches.national {
        for (month, day, name) in FIXED {
            if month == 11 && day == 20 && year < CONSCIENCIA_NEGRA_FROM {
                continue;
            }
            if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
                out.push((date, name));
            }
        }
    }
    if let Some(easter) = easter_sunday(year) {
        if switches.carnival {
            out.push((easter - Duration::days(48), "Carnaval (segunda-feira)"));
            out.push((easter - Duration::days(47), "Carnaval (terça-feira)"));
        }
        if switches.national {
            out.push((easter - Duration::days(2), "Sexta-feira Santa"));
        }
        if switches.corpus_christi {
            out.push((easter + Duration::days(60), "Corpus Christi"));
        }
    }
    out.sort_by_key(|(d, _)| *d);
    out
}

/// Whether `date` is a national holiday under `switches`, without building the year's list.
/// `easter` is the Easter Sunday of `date`'s year (passed in so loops over many days of one
/// year compute it once).
pub(crate) fn is_national_holiday(
    date: NaiveDate,
    easter: Option<NaiveDate>,
    switches: Switches,
) -> bool {
    if switches.national {
        let (m, d) = (date.month(), date.day());
        let fixed = FIXED.iter().any(|&(fm, fd, _)| fm == m && fd == d);
        if fixed && !(m == 11 && d == 20 && date.year() < CONSCIENCIA_NEGRA_FROM) {
            return true;
        }
    }
    let Some(easter) = easter else {
        return false;
    };
    let offset = date.signed_duration_since(easter).num_days();
    (switches.carnival && (offset == -48 || offset == -47))
        || (switches.national && offset == -2)
        || (switches.corpus_christi && offset == 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_dates_worked_by_hand() {
        assert_eq!(easter_sunday(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter_sunday(2026), Some(d(2026, 4, 5)));
        assert_eq!(easter_sunday(2027), Some(d(2027, 3, 28)));
        // Extremes of the Gregorian range of Easter: 22 March (1818, 2285), 25 April (1943, 2038).
        assert_eq!(easter_sunday(1818), Some(d(1818, 3, 22)));
        assert_eq!(easter_sunday(2285), Some(d(2285, 3, 22)));
        assert_eq!(easter_sunday(1943), Some(d(1943, 4, 25)));
        assert_eq!(easter_sunday(2038), Some(d(2038, 4, 25)));
        assert_eq!(easter_sunday(1582), None);
    }

    #[test]
    fn moveable_holidays_2026() {
        let all = Switches {
            national: true,
            carnival: true,
            corpus_christi: true,
        };
        let list = national_holidays(2026, all);
        let has = |date: NaiveDate, name: &str| list.contains(&(date, name));
        assert!(has(d(2026, 2, 16), "Carnaval (segunda-feira)"));
        assert!(has(d(2026, 2, 17), "Carnaval (terça-feira)"));
        assert!(has(d(2026, 4, 3), "Sexta-feira Santa"));
        assert!(has(d(2026, 6, 4), "Corpus Christi"));
        assert_eq!(list.len(), 13);
        assert!(list.windows(2).all(|w| w[0].0 < w[1].0));
        for (date, _) in &list {
            assert!(is_national_holiday(*date, easter_sunday(2026), all));
        }
        assert!(!is_national_holiday(
            d(2026, 2, 18),
            easter_sunday(2026),
            all
        ));
    }

    #[test]
    fn consciencia_negra_from_2024() {
        let all = Switches {
            national: true,
            carnival: false,
            corpus_christi: false,
        };
        assert!(!is_national_holiday(
            d(2023, 11, 20),
            easter_sunday(2023),
            all
        ));
        assert!(is_national_holiday(
            d(2024, 11, 20),
            easter_sunday(2024),
            all
        ));
        assert_eq!(national_holidays(2023, all).len(), 9);
        assert_eq!(national_holidays(2024, all).len(), 10);
    }
}
