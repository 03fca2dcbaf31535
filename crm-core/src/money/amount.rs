//! [`Money`]: an exact decimal amount in one currency.

use super::decimal_text::{parse_decimal, strict::StrictVisitor};
use super::{Currency, Rate, RoundingMode};
use crate::error::{Error, FieldError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, de};
use std::fmt;

/// An exact amount of money in one currency. Arithmetic between two amounts checks that the
/// currencies match and that nothing overflows, and returns a typed [`Error`] otherwise.
///
/// JSON form: `{"amount": "1234.56", "currency": "BRL"}`; a bare string `"1234.56"` is read as
/// BRL, and `currency` defaults to BRL when absent. JSON floats are refused.
///
/// ```
/// use crm_core::{Money, Rate, RoundingMode};
/// use rust_decimal_macros::dec;
/// let price = Money::brl(dec!(850000));
/// let fee = price.percent(Rate::parse("6%").unwrap()).unwrap();
/// assert_eq!(fee, Money::brl(dec!(51000.00)));
/// let json = serde_json::to_string(&fee).unwrap();
/// assert_eq!(json, r#"{"amount":"51000.00","currency":"BRL"}"#);
/// assert_eq!(fee.to_brl_string(), "R$ 51.000,00");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// An amount in `currency`, kept exactly as given (no rounding).
    pub const fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// An amount in Brazilian reais.
    pub const fn brl(amount: Decimal) -> Money {
        Money::new(amount, Currency::BRL)
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Money {
        Money::new(Decimal::ZERO, currency)
    }

    /// Parses `"1234.56"` (BRL) or `"1234.56 USD"`.
    ///
    /// ```
    /// use crm_core::{Currency, Money};
    /// assert_eq!(Money::parse("10.5 usd").unwrap().currency(), Currency::USD);
    /// assert!(Money::parse("10,50").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Money, FieldError> {
        let s = input.trim();
        match s.rsplit_once(' ') {
            Some((amount, code)) => Ok(Money::new(parse_decimal(amount)?, Currency::parse(code)?)),
            None => Ok(Money::brl(parse_decimal(s)?)),
        }
    }

    /// The amount, unrounded.
    pub const fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    #[inline]
    fn same_currency(&self, other: &Money) -> Result<(), Error> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// `self + other`, refusing mixed currencies and overflow.
    #[inline(always)]
    pub fn checked_add(self, other: Money) -> Result<Money, Error> {
        self.same_currency(&other)?;
        let amount =
            super::fast::checked_add(self.amount, other.amount).ok_or(Error::Overflow {
                operation: "addition",
            })?;
        Ok(Money::new(amount, self.currency))
    }

    /// `self − other`, refusing mixed currencies and overflow.
    #[inline(always)]
    pub fn checked_sub(self, other: Money) -> Result<Money, Error> {
        self.same_currency(&other)?;
        let amount =
            super::fast::checked_sub(self.amount, other.amount).ok_or(Error::Overflow {
                operation: "subtraction",
            })?;
        Ok(Money::new(amount, self.currency))
    }

    /// The amount times a plain factor, unrounded.
    #[inline]
    pub fn checked_mul(self, factor: Decimal) -> Result<Money, Error> {
        let amount = super::fast::checked_mul(self.amount, factor).ok_or(Error::Overflow {
            operation: "multiplication",
        })?;
        Ok(Money::new(amount, self.currency))
    }

    /// The amount times a rate, unrounded: the exact fee before a rule rounds it.
    pub fn times_rate(self, rate: Rate) -> Result<Money, Error> {
        self.checked_mul(rate.value())
    }

    /// The amount times a rate, rounded half-even to the currency's minor unit.
    pub fn percent(self, rate: Rate) -> Result<Money, Error> {
        Ok(self.times_rate(rate)?.round(RoundingMode::HalfEven))
    }

    /// Sums amounts of one currency; an empty list sums to zero in `currency`.
    ///
    /// ```
    /// use crm_core::{Currency, Money};
    /// use rust_decimal_macros::dec;
    /// let parts = [Money::brl(dec!(333.34)), Money::brl(dec!(333.33)), Money::brl(dec!(333.33))];
    /// assert_eq!(Money::sum(Currency::BRL, parts).unwrap(), Money::brl(dec!(1000.00)));
    /// ```
    pub fn sum(
        currency: Currency,
        amounts: impl IntoIterator<Item = Money>,
    ) -> Result<Money, Error> {
        // A plain loop: `try_fold` threads the large `Result` through every step.
        let mut total = Money::zero(currency);
        for m in amounts {
            total = total.checked_add(m)?;
        }
        Ok(total)
    }

    /// Rounded to the currency's minor unit (cents for BRL) with `mode`.
    #[inline]
    pub fn round(self, mode: RoundingMode) -> Money {
        self.round_dp(self.currency.minor_units(), mode)
    }

    /// Rounded to `places` decimal places with `mode`.
    #[inline]
    pub fn round_dp(self, places: u32, mode: RoundingMode) -> Money {
        Money::new(mode.round(self.amount, places), self.currency)
    }

    /// Whether the amount has no digits below the currency's minor unit.
    pub fn is_whole_minor_units(&self) -> bool {
        super::fast::normalized_scale(self.amount) <= self.currency.minor_units()
    }

    /// The amount in Brazilian notation, rounded half-even to cents: `R$ 1.234,56`,
    /// `-R$ 10,00`. Other currencies print their code: `USD 1.234,56`.
    pub fn to_brl_string(&self) -> String {
        let places = self.currency.minor_units();
        let rounded = RoundingMode::HalfEven.round(self.amount.abs(), places);
        let text = format!("{rounded:.prec$}", prec = places as usize);
        let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
        let mut grouped = String::with_capacity(int.len() + int.len() / 3);
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push('.');
            }
            grouped.push(ch);
        }
        let symbol = if self.currency == Currency::BRL {
            "R$"
        } else {
            self.currency.code()
        };
        let sign = if self.is_negative() && !rounded.is_zero() {
            "-"
        } else {
            ""
        };
        if frac.is_empty() {
            format!("{sign}{symbol} {grouped}")
        } else {
            format!("{sign}{symbol} {grouped},{frac}")
        }
    }
}

impl std::ops::Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money::new(-self.amount, self.currency)
    }
}

impl fmt::Display for Money {
    /// `1234.56 BRL`: the exact amount and the code, the form [`Money::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({} {})", self.amount, self.currency)
    }
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Money", 2)?;
        st.serialize_field("amount", &self.amount.to_string())?;
        st.serialize_field("currency", &self.currency)?;
        st.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneyObject {
    #[serde(with = "super::decimal_text::strict")]
    amount: Decimal,
    #[serde(default)]
    currency: Currency,
}

struct MoneyVisitor;

impl<'de> de::Visitor<'de> for MoneyVisitor {
    type Value = Money;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"money as {"amount": "1234.56", "currency": "BRL"} or "1234.56""#)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
        Money::parse(v).map_err(|e| E::custom(e.message))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
        de::Visitor::visit_i64(StrictVisitor, v).map(Money::brl)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
        de::Visitor::visit_u64(StrictVisitor, v).map(Money::brl)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
        de::Visitor::visit_f64(StrictVisitor, v).map(Money::brl)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Money, A::Error> {
        let obj = MoneyObject::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Money::new(obj.amount, obj.currency))
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MoneyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use rust_decimal_macros::dec;

    #[test]
    fn arithmetic_checks_currency() {
        let a = Money::brl(dec!(10.50));
        let b = Money::brl(dec!(0.25));
        assert_eq!(a.checked_add(b).ok(), Some(Money::brl(dec!(10.75))));
        assert_eq!(a.checked_sub(b).ok(), Some(Money::brl(dec!(10.25))));
        let usd = Money::new(dec!(1), Currency::USD);
        let err = a.checked_add(usd).err();
        assert_eq!(err.map(|e| e.code()), Some(ErrorCode::CurrencyMismatch));
        assert!(a.checked_sub(usd).is_err());
        assert_eq!(
            Money::sum(Currency::BRL, [a, usd]).err().map(|e| e.code()),
            Some(ErrorCode::CurrencyMismatch)
        );
    }

    #[test]
    fn overflow_is_an_error() {
        let max = Money::brl(Decimal::MAX);
        assert_eq!(
            max.checked_add(Money::brl(dec!(1))).err().map(|e| e.code()),
            Some(ErrorCode::Overflow)
        );
        assert_eq!(
            max.checked_mul(dec!(2)).err().map(|e| e.code()),
            Some(ErrorCode::Overflow)
        );
        assert_eq!(
            (-max)
                .checked_sub(Money::brl(dec!(1)))
                .err()
                .map(|e| e.code()),
            Some(ErrorCode::Overflow)
        );
    }

    #[test]
    fn percent_rounds_half_even_to_cents() {
        // 0.125% of 1000.00 = 1.25 exactly; 6% of 1234.75 = 74.085 → 74.08 (half-even).
        let r = Rate::parse("6%").unwrap_or_default();
        assert_eq!(
            Money::brl(dec!(1234.75)).percent(r).ok(),
            Some(Money::brl(dec!(74.08)))
        );
        assert_eq!(
            Money::brl(dec!(1234.75)).times_rate(r).ok(),
            Some(Money::brl(dec!(74.085)))
        );
    }

    #[test]
    fn brazilian_notation() {
        assert_eq!(
            Money::brl(dec!(1234567.891)).to_brl_string(),
            "R$ 1.234.567,89"
        );
        assert_eq!(Money::brl(dec!(0.5)).to_brl_string(), "R$ 0,50");
        assert_eq!(Money::brl(dec!(-10)).to_brl_string(), "-R$ 10,00");
        assert_eq!(Money::brl(dec!(-0.001)).to_brl_string(), "R$ 0,00");
        assert_eq!(Money::brl(dec!(100)).to_brl_string(), "R$ 100,00");
        assert_eq!(
            Money::new(dec!(1500), Currency::parse("JPY").unwrap_or_default()).to_brl_string(),
            "JPY 1.500"
        );
    }

    #[test]
    fn json_forms() {
        let m: Money = serde_json::from_str(r#"{"amount":"10.50","currency":"USD"}"#)
            .unwrap_or(Money::brl(dec!(0)));
        assert_eq!(m, Money::new(dec!(10.50), Currency::USD));
        let m: Option<Money> = serde_json::from_str(r#"{"amount":"10.50"}"#).ok();
        assert_eq!(m, Some(Money::brl(dec!(10.50))));
        let m: Option<Money> = serde_json::from_str(r#""99.90""#).ok();
        assert_eq!(m, Some(Money::brl(dec!(99.90))));
        let m: Option<Money> = serde_json::from_str("1500").ok();
        assert_eq!(m, Some(Money::brl(dec!(1500))));
        assert!(serde_json::from_str::<Money>("10.5").is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount":10.5}"#).is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount":"1","currency":"XXY"}"#).is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount":"1","cur":"BRL"}"#).is_err());
        let back = serde_json::to_string(&Money::brl(dec!(0.10))).unwrap_or_default();
        assert_eq!(back, r#"{"amount":"0.10","currency":"BRL"}"#);
    }

    #[test]
    fn display_parses_back() {
        let m = Money::new(dec!(-12.345), Currency::EUR);
        assert_eq!(Money::parse(&m.to_string()).ok(), Some(m));
        assert!(Money::brl(dec!(1.230)).is_whole_minor_units());
        assert!(!Money::brl(dec!(1.235)).is_whole_minor_units());
    }
}
