//! The total effective cost (CET, custo efetivo total): the monthly rate that discounts a
//! loan's payments to the amount the borrower actually received.

use super::math::{add, mul, sub};
use crate::error::{Error, ErrorCode, FieldError};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// Search interval for the monthly CET: (−99%, 1000%) a month, open at both ends.
const LOWEST: Decimal = Decimal::from_parts(99, 0, 0, true, 2);
const HIGHEST: Decimal = Decimal::TEN;
/// At most this many steps; bisection alone narrows the interval below 1e-25 in 90.
const MAX_ITERATIONS: u32 = 200;
/// A Newton step below this ends the search: the answer is then far within 1e-12 (Newton
/// converges quadratically, so the error after such a step is below 1e-30 plus the decimal
/// noise of the sum).
const STEP_DONE: Decimal = Decimal::from_parts(1, 0, 0, false, 18);
/// The promised tolerance on the rate.
const TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 12);

/// `F(r) = Σ payment_k · (1 + r)^−k − received` and its derivative in `r`, or only the sign
/// of `F` when the sum is beyond the decimal range (which happens only for rates near −99%,
/// where the discount factor is about 100 and the latest payment dominates).
enum Npv {
    Value { f: Decimal, slope: Decimal },
    Huge(Ordering),
}

fn npv(r: Decimal, received: Decimal, payments: &[Decimal], huge_sign: Ordering) -> Npv {
    match npv_exact(r, received, payments) {
        Some((f, slope)) => Npv::Value { f, slope },
        None => Npv::Huge(huge_sign),
    }
}

fn npv_exact(r: Decimal, received: Decimal, payments: &[Decimal]) -> Option<(Decimal, Decimal)> {
    let d = Decimal::ONE.checked_div(Decimal::ONE.checked_add(r)?)?;
    // Horner on P(d) = Σ p_k d^(k−1), with P'(d) alongside; Σ p_k d^k = d · P(d).
    let (mut p, mut dp) = (Decimal::ZERO, Decimal::ZERO);
    for payment in payments.iter().rev() {
        dp = dp.checked_mul(d)?.checked_add(p)?;
        p = p.checked_mul(d)?.checked_add(*payment)?;
    }
    let f = d.checked_mul(p)?.checked_sub(received)?;
    // d/dr Σ p_k d^k = (P + d·P') · dd/dr, with dd/dr = −d².
    let slope = -(p.checked_add(d.checked_mul(dp)?)?)
        .checked_mul(d)?
        .checked_mul(d)?;
    Some((f, slope))
}

fn sign(n: &Npv) -> Ordering {
    match n {
        Npv::Value { f, .. } => f.cmp(&Decimal::ZERO),
        Npv::Huge(s) => *s,
    }
}

fn no_solution(message: &str) -> Error {
    FieldError::new(ErrorCode::CetNoSolution, message.to_owned()).into()
}

/// The monthly rate `r` in (−0.99, 10) with `Σ payments[k−1] / (1 + r)^k = received`,
/// unrounded. `guess` starts the search (the loan's own rate).
///
/// Plain Newton first: for a loan's positive payments the present value is convex and
/// decreasing in `r`, so Newton converges monotonically from the first step, in a handful of
/// steps. If a step leaves the interval or fails to shrink (payments of mixed signs), the
/// search starts over inside the bracket (−0.99, 10), where a step that would leave the
/// current bracket, or that does not shrink, bisects instead.
pub(crate) fn solve_cet(
    received: Decimal,
    payments: &[Decimal],
    guess: Decimal,
) -> Result<Decimal, Error> {
    let last = payments
        .iter()
        .rev()
        .find(|p| !p.is_zero())
        .map_or(Ordering::Equal, |p| p.cmp(&Decimal::ZERO));
    let start = if guess > LOWEST && guess < HIGHEST {
        guess
    } else {
        Decimal::ZERO
    };
    if let Some(r) = newton(received, payments, start) {
        return Ok(r);
    }
    bracketed(received, payments, start, last)
}

/// Unguarded Newton from `r`; `None` as soon as it misbehaves.
fn newton(received: Decimal, payments: &[Decimal], mut r: Decimal) -> Option<Decimal> {
    let mut previous_step = Decimal::MAX;
    for _ in 0..MAX_ITERATIONS {
        let (f, slope) = npv_exact(r, received, payments)?;
        if f.is_zero() {
            return Some(r);
        }
        let step = f.checked_div(slope)?;
        let next = r.checked_sub(step)?;
        if next <= LOWEST || next >= HIGHEST || step.abs() >= previous_step {
            return None;
        }
        if step.abs() <= STEP_DONE {
            return Some(next);
        }
        previous_step = step.abs();
        r = next;
    }
    None
}

/// Newton inside the bracket (−0.99, 10), bisecting when a step misbehaves.
fn bracketed(
    received: Decimal,
    payments: &[Decimal],
    start: Decimal,
    last: Ordering,
) -> Result<Decimal, Error> {
    let (mut lo, mut hi) = (LOWEST, HIGHEST);
    let s_lo = sign(&npv(lo, received, payments, last));
    let s_hi = sign(&npv(hi, received, payments, last));
    if s_lo == Ordering::Equal || s_hi == Ordering::Equal || s_lo == s_hi {
        return Err(no_solution(
            "no monthly rate between -99% and 1000% discounts the payments to the amount received",
        ));
    }
    let mut r = start;
    let mut previous_step = sub(hi, lo)?;
    for _ in 0..MAX_ITERATIONS {
        let value = npv(r, received, payments, last);
        let s = sign(&value);
        if s == Ordering::Equal {
            return Ok(r);
        }
        if s == s_lo {
            lo = r;
        } else {
            hi = r;
        }
        let step = match value {
            Npv::Value { f, slope } if !slope.is_zero() => f.checked_div(slope),
            _ => None,
        };
        if let Some(tiny) = step.filter(|s| s.abs() <= STEP_DONE) {
            return sub(r, tiny);
        }
        let newton = step.and_then(|s| r.checked_sub(s));
        let next = match newton {
            Some(t) if t > lo.min(hi) && t < lo.max(hi) && (t - r).abs() < previous_step => t,
            _ => midpoint(lo, hi)?,
        };
        let step = (next - r).abs();
        if step <= STEP_DONE {
            return Ok(next);
        }
        previous_step = step;
        r = next;
        if (hi - lo).abs() <= STEP_DONE {
            return Ok(r);
        }
    }
    if (hi - lo).abs() <= TOLERANCE {
        Ok(r)
    } else {
        Err(no_solution("the CET search did not converge"))
    }
}

fn midpoint(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    add(a, mul(sub(b, a)?, Decimal::new(5, 1))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_single_payment() {
        // 110 paid after one month for 100 received: r = 10%.
        assert_eq!(
            solve_cet(dec!(100), &[dec!(110)], dec!(0)).unwrap(),
            dec!(0.1)
        );
        // 121 after two months: (1 + r)^2 = 1.21, r = 10%.
        let r = solve_cet(dec!(100), &[dec!(0), dec!(121)], dec!(0.05)).unwrap();
        assert!((r - dec!(0.1)).abs() < dec!(0.0000000000000000001), "{r}");
    }

    #[test]
    fn level_payments_give_back_the_rate() {
        // 12 payments of 8884.878867834170733998783123 repay 100000 at exactly 1%.
        let pmt = dec!(8884.878867834170733998783123);
        let r = solve_cet(dec!(100000), &[pmt; 12], dec!(0.02)).unwrap();
        assert!((r - dec!(0.01)).abs() < dec!(0.000000000000000001), "{r}");
    }

    #[test]
    fn no_solution_outside_the_interval() {
        // Nothing received, payments positive: every rate leaves F > 0.
        let e = solve_cet(dec!(0), &[dec!(10), dec!(10)], dec!(0.01)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::CetNoSolution);
        // 100 received, 1200 paid after a month: r = 1100% > 1000%.
        let e = solve_cet(dec!(100), &[dec!(1200)], dec!(0.01)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::CetNoSolution);
        // All payments zero.
        let e = solve_cet(dec!(100), &[dec!(0); 3], dec!(0.01)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::CetNoSolution);
    }

    #[test]
    fn the_bracketed_search_agrees_with_newton() {
        // 110 after one month for 100: 10%, from either method and any start.
        let payments = [dec!(110)];
        let r = bracketed(dec!(100), &payments, dec!(5), Ordering::Greater).unwrap();
        assert!((r - dec!(0.1)).abs() < dec!(0.000000000001), "{r}");
        assert_eq!(newton(dec!(100), &payments, dec!(0)), Some(dec!(0.1)));
        // Mixed signs: pay 300 after a month, receive 100 back after two; 150 received.
        // 300 d − 100 d² = 150 with d = 1/(1 + r): d = (3 − √3)/2 = 0.6339746…, r = 0.5773502….
        let r = solve_cet(dec!(150), &[dec!(300), dec!(-100)], dec!(0.01)).unwrap();
        assert!(
            (r - dec!(0.5773502691896257645)).abs() < dec!(0.000000000001),
            "{r}"
        );
    }

    #[test]
    fn long_schedules_near_the_lower_end_do_not_overflow() {
        // 600 payments of 1 for 500 received: a small negative rate, and F(−0.99) overflows.
        let r = solve_cet(dec!(500), &[dec!(1); 600], dec!(0)).unwrap();
        assert!(r > dec!(0) && r < dec!(0.01), "{r}");
        let r = solve_cet(dec!(700), &[dec!(1); 600], dec!(0)).unwrap();
        assert!(r < dec!(0), "{r}");
    }
}
