//! Money: rounding, allocation, rates, currencies, checked arithmetic. Every amount and rate
//! crosses as decimal text (`"1234.56"`), never as a JS number.

use crate::errors::run;
use napi::Env;
use napi_derive::napi;
use realestate_crm::host::{HostError, from_value};
use realestate_crm::money::parse_decimal;
use realestate_crm::{Currency, Money as CoreMoney, Rate, RoundingMode, allocate as core_allocate};
use rust_decimal::Decimal;

/// An exact amount in a currency.
#[napi(object)]
pub struct Money {
    /// The amount as decimal text (`"1234.56"`).
    #[napi(ts_type = "string")]
    pub amount: String,
    /// The ISO 4217 code (`BRL`).
    pub currency: String,
}

/// An ISO 4217 currency.
#[napi(object)]
pub struct CurrencyInfo {
    /// The code, upper-cased (`BRL`).
    pub code: String,
    /// Digits after the decimal point (BRL 2, JPY 0, KWD 3).
    pub minor_units: u32,
}

fn decimal(text: &str, path: &str) -> Result<Decimal, HostError> {
    parse_decimal(text).map_err(|e| HostError::from(e.at(path)))
}

fn currency(code: &str, path: &str) -> Result<Currency, HostError> {
    Currency::parse(code).map_err(|e| HostError::from(e.at(path)))
}

fn money_out(m: CoreMoney) -> Money {
    Money {
        amount: m.amount().to_string(),
        currency: m.currency().code().to_owned(),
    }
}

/// A decimal checked and written in its plain form (`" 12.50 "` → `"12.50"`); anything else
/// (`"1e3"`, `"1,5"`) is `validation.money.format`.
#[napi]
pub fn decimal_text(env: Env, value: String) -> napi::Result<String> {
    run(&env, || Ok(decimal(&value, "")?.to_string()))
}

/// `value` rounded to `places` decimals with a named mode (`half_even`, `half_up`,
/// `half_down`, `down`, `up`, `floor`, `ceiling`).
#[napi]
pub fn round_decimal(env: Env, value: String, places: u32, mode: String) -> napi::Result<String> {
    run(&env, || {
        let v = decimal(&value, "value")?;
        let mode: RoundingMode =
            from_value(serde_json::Value::String(mode)).map_err(|e| e.at("mode"))?;
        Ok(mode.round(v, places).to_string())
    })
}

/// Splits `total` (in `currency`) by `weights` so the parts sum exactly to the total.
#[napi]
pub fn allocate(
    env: Env,
    total: String,
    currency_code: String,
    weights: Vec<String>,
) -> napi::Result<Vec<Money>> {
    run(&env, || {
        let t = decimal(&total, "total")?;
        let cur = currency(&currency_code, "currency")?;
        let w = weights
            .iter()
            .enumerate()
            .map(|(i, w)| decimal(w, &format!("weights[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(core_allocate(CoreMoney::new(t, cur), &w)?
            .into_iter()
            .map(money_out)
            .collect())
    })
}

/// A rate as people write it (`"6%"`, `"6,5 %"`, `"0.065"`) as its fraction.
#[napi]
pub fn parse_rate(env: Env, text: String) -> napi::Result<String> {
    run(&env, || {
        Ok(Rate::parse(&text)
            .map_err(HostError::from)?
            .value()
            .to_string())
    })
}

/// An ISO 4217 currency's code and minor units.
#[napi]
pub fn currency_info(env: Env, code: String) -> napi::Result<CurrencyInfo> {
    run(&env, || {
        let c = currency(&code, "")?;
        Ok(CurrencyInfo {
            code: c.code().to_owned(),
            minor_units: c.minor_units(),
        })
    })
}

/// `left ± right` (`op` is `add` or `sub`); different currencies are `money.currency_mismatch`.
#[napi]
pub fn money_op(env: Env, op: String, left: Money, right: Money) -> napi::Result<Money> {
    run(&env, || {
        let l = CoreMoney::new(
            decimal(&left.amount, "left.amount")?,
            currency(&left.currency, "left.currency")?,
        );
        let r = CoreMoney::new(
            decimal(&right.amount, "right.amount")?,
            currency(&right.currency, "right.currency")?,
        );
        Ok(money_out(match op.as_str() {
            "sub" => l.checked_sub(r)?,
            _ => l.checked_add(r)?,
        }))
    })
}
