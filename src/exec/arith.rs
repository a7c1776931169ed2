//! Evaluating arithmetic: `+ - * /`, unary minus and `round()`, with the
//! integer and decimal rules of `semantic::arith`, and the divisions by
//! zero met on the way (each gives null, and the run a warning).

use crate::syntax::{ArithOp, Span};
use crate::value::{Decimal, Value};
use crate::warning::Warning;
use std::cell::RefCell;

/// The places a decimal quotient prints with, at least.
const QUOTIENT_PLACES: u8 = 2;

/// The divisions (by their operator's span) that met a zero while a query
/// ran, with how many times each did.
#[derive(Debug, Default)]
pub struct ZeroDivisions(RefCell<Vec<(Span, usize)>>);

impl ZeroDivisions {
    fn record(&self, at: Span) {
        let mut seen = self.0.borrow_mut();
        match seen.iter_mut().find(|(s, _)| *s == at) {
            Some((_, n)) => *n += 1,
            None => seen.push((at, 1)),
        }
    }

    /// One `division_by_zero` warning per division that met a zero.
    pub fn warnings(&self) -> Vec<Warning> {
        self.0
            .borrow()
            .iter()
            .map(|(span, _)| {
                Warning::new("peelql::warning::division_by_zero", "a division by zero gave null")
                    .with_span(*span, "divided by zero here")
                    .with_help(
                        "a null shows as an empty cell; to leave such rows out, add `where <divisor> != 0`",
                    )
            })
            .collect()
    }
}

/// The places a decimal result of `a` and `b` prints with.
fn places(a: &Value, b: &Value) -> u8 {
    let p = |v: &Value| match v {
        Value::Decimal(d) => d.places,
        _ => 0,
    };
    p(a).max(p(b))
}

/// `a op b`. `zero` records a division by zero (at `at`).
pub fn binary(op: ArithOp, a: &Value, b: &Value, at: Span, zero: Option<&ZeroDivisions>) -> Value {
    if let (ArithOp::Add | ArithOp::Sub | ArithOp::Mul, Value::Int(x), Value::Int(y)) = (op, a, b) {
        let whole = match op {
            ArithOp::Add => x.checked_add(*y),
            ArithOp::Sub => x.checked_sub(*y),
            _ => x.checked_mul(*y),
        };
        if let Some(n) = whole {
            return Value::Int(n);
        }
        // past the whole numbers' range: go on as a decimal
    }
    let (Some(x), Some(y)) = (a.as_f64(), b.as_f64()) else { return Value::Null };
    let value = match op {
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x * y,
        ArithOp::Div => {
            if y == 0.0 {
                if let Some(z) = zero {
                    z.record(at);
                }
                return Value::Null;
            }
            x / y
        }
    };
    if !value.is_finite() {
        return Value::Null;
    }
    let places = if op == ArithOp::Div { places(a, b).max(QUOTIENT_PLACES) } else { places(a, b) };
    Value::Decimal(Decimal::new(value, places))
}

/// `- v`.
pub fn negate(v: &Value) -> Value {
    match v {
        Value::Int(i) => {
            i.checked_neg().map_or_else(|| Value::Decimal(Decimal::new(-(*i as f64), 0)), Value::Int)
        }
        Value::Decimal(d) => Value::Decimal(Decimal::new(-d.value, d.places)),
        _ => Value::Null,
    }
}

/// `round(v, places)`: half away from zero; a whole number for 0 places.
pub fn round(v: &Value, places: u8) -> Value {
    match v {
        Value::Int(i) => {
            if places == 0 {
                Value::Int(*i)
            } else {
                Value::Decimal(Decimal::new(*i as f64, places))
            }
        }
        Value::Decimal(d) => {
            let factor = 10f64.powi(i32::from(places));
            // the printed digits decide: 2.675 (2.67499… in binary) rounds to 2.68
            let scaled = format!("{:.*}", usize::from(places) + 3, d.value * factor).parse::<f64>();
            let r = scaled.unwrap_or(d.value * factor).round() / factor;
            if places == 0 && r.abs() < 9.0e15 {
                Value::Int(r as i64)
            } else {
                Value::Decimal(Decimal::new(r, places))
            }
        }
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(v: f64, p: u8) -> Value {
        Value::Decimal(Decimal::new(v, p))
    }

    #[test]
    fn whole_numbers_stay_whole_and_quotients_are_decimal() {
        let s = Span::new(0, 1);
        assert_eq!(binary(ArithOp::Add, &Value::Int(2), &Value::Int(3), s, None), Value::Int(5));
        assert_eq!(binary(ArithOp::Mul, &Value::Int(4), &Value::Int(-3), s, None), Value::Int(-12));
        assert_eq!(binary(ArithOp::Div, &Value::Int(7), &Value::Int(2), s, None).to_string(), "3.50");
        assert_eq!(binary(ArithOp::Sub, &dec(3.444, 2), &Value::Int(1), s, None).to_string(), "2.44");
        // overflow goes on as a decimal instead of wrapping
        assert!(matches!(
            binary(ArithOp::Mul, &Value::Int(i64::MAX), &Value::Int(2), s, None),
            Value::Decimal(_)
        ));
        assert!(matches!(negate(&Value::Int(i64::MIN)), Value::Decimal(d) if d.value > 9.0e18));
    }

    #[test]
    fn division_by_zero_is_null_and_recorded_once_per_place() {
        let z = ZeroDivisions::default();
        let (a, b) = (Span::new(3, 4), Span::new(9, 10));
        assert_eq!(binary(ArithOp::Div, &Value::Int(1), &Value::Int(0), a, Some(&z)), Value::Null);
        assert_eq!(binary(ArithOp::Div, &Value::Int(5), &dec(0.0, 2), a, Some(&z)), Value::Null);
        assert_eq!(binary(ArithOp::Div, &Value::Int(5), &Value::Int(0), b, Some(&z)), Value::Null);
        let w = z.warnings();
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].span, Some(a));
        assert_eq!(binary(ArithOp::Add, &Value::Null, &Value::Int(1), a, None), Value::Null);
    }

    #[test]
    fn round_is_half_away_from_zero_at_the_printed_digits() {
        assert_eq!(round(&dec(2.675, 3), 2).to_string(), "2.68");
        assert_eq!(round(&dec(-2.5, 1), 0), Value::Int(-3));
        assert_eq!(round(&dec(41.86046, 2), 1).to_string(), "41.9");
        assert_eq!(round(&Value::Int(4), 2).to_string(), "4.00");
    }
}
