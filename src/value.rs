//! Values a query computes with: grades, dates, numbers, text and null.
//!
//! Grades are ordinal and *better is greater*:
//! `inadequate < requires improvement < adequate < good < outstanding`.
//! The four-tier scale used before PEEL 2021/22 has no `adequate`, but its
//! grades sit on the same 1–5 ladder, so grades of every programme compare
//! and average together.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// An HMICFRS PEEL grade. Ordered: better is greater.
///
/// With serde it is the inspectorate's word (`"requires improvement"`) in
/// human-readable formats such as JSON — any spelling [`Grade::parse`]
/// accepts reads back — and its rank 1–5 in binary ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    /// The lowest grade, 1 on the 1–5 scale.
    Inadequate = 1,
    /// 2 on the 1–5 scale.
    RequiresImprovement = 2,
    /// 3 on the 1–5 scale; only on the five-tier scale (PEEL 2021/22 on).
    Adequate = 3,
    /// 4 on the 1–5 scale.
    Good = 4,
    /// The highest grade, 5 on the 1–5 scale.
    Outstanding = 5,
}

impl Grade {
    /// Every grade, worst first.
    pub const ALL: [Grade; 5] =
        [Grade::Inadequate, Grade::RequiresImprovement, Grade::Adequate, Grade::Good, Grade::Outstanding];

    /// The grade's place on the 1–5 scale.
    pub fn rank(self) -> u8 {
        self as u8
    }

    /// The grade with the given rank (1–5).
    pub fn from_rank(rank: u8) -> Option<Grade> {
        Grade::ALL.get(usize::from(rank).checked_sub(1)?).copied()
    }

    /// The grade as the inspectorate writes it: `requires improvement`.
    pub fn name(self) -> &'static str {
        match self {
            Grade::Inadequate => "inadequate",
            Grade::RequiresImprovement => "requires improvement",
            Grade::Adequate => "adequate",
            Grade::Good => "good",
            Grade::Outstanding => "outstanding",
        }
    }

    /// A one- or two-letter code: `O`, `G`, `A`, `RI`, `I`.
    pub fn code(self) -> &'static str {
        match self {
            Grade::Inadequate => "I",
            Grade::RequiresImprovement => "RI",
            Grade::Adequate => "A",
            Grade::Good => "G",
            Grade::Outstanding => "O",
        }
    }

    /// Reads a grade word as users and the data write it, ignoring case:
    /// `requires improvement`, `requires_improvement`, `ri`, `Good`…
    pub fn parse(text: &str) -> Option<Grade> {
        let norm: String = text
            .trim()
            .chars()
            .map(|c| if c == '_' || c == '-' { ' ' } else { c.to_ascii_lowercase() })
            .collect();
        let norm = norm.split_whitespace().collect::<Vec<_>>().join(" ");
        match norm.as_str() {
            "inadequate" => Some(Grade::Inadequate),
            "requires improvement" | "ri" => Some(Grade::RequiresImprovement),
            "adequate" => Some(Grade::Adequate),
            "good" => Some(Grade::Good),
            "outstanding" => Some(Grade::Outstanding),
            _ => None,
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A calendar date that may be known only to the month or the year, as
/// publication dates in the sources often are (`2025-02`).
///
/// Ordering puts a less precise date before the more precise dates it
/// contains: `2025 < 2025-02 < 2025-02-01`. With serde it is the text
/// `2025-02` in human-readable formats and a tuple in binary ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, e.g. 2024.
    pub year: u16,
    /// The month 1–12, when known.
    pub month: Option<u8>,
    /// The day 1–31, when known (only with a month).
    pub day: Option<u8>,
}

impl Date {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().split('-');
        let year = parts.next().filter(|y| y.len() == 4)?.parse::<u16>().ok()?;
        let month = match parts.next() {
            None => None,
            Some(m) if m.len() == 2 => Some(m.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?),
            Some(_) => return None,
        };
        let day = match parts.next() {
            None => None,
            Some(d) if d.len() == 2 => {
                let d = d.parse::<u8>().ok()?;
                let max = days_in_month(year, month?);
                Some(d).filter(|d| (1..=max).contains(d))?;
                Some(d)
            }
            Some(_) => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Date { year, month, day })
    }
}

impl Date {
    /// Compares at the precision both dates have: `2024-03-12` and
    /// `2024-03` are equal, `2024-03-12` is before `2024-04`.
    pub fn cmp_at_common_precision(&self, other: &Date) -> Ordering {
        let month = self.month.zip(other.month);
        let day = self.day.zip(other.day);
        self.year
            .cmp(&other.year)
            .then_with(|| month.map_or(Ordering::Equal, |(a, b)| a.cmp(&b)))
            .then_with(|| day.map_or(Ordering::Equal, |(a, b)| a.cmp(&b)))
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// A decimal number with the number of places it prints with.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Decimal {
    /// The value.
    pub value: f64,
    /// Decimal places when printed (scores print with 2, grade averages with 1).
    pub places: u8,
}

impl Decimal {
    /// A decimal that prints with `places` decimal places.
    pub fn new(value: f64, places: u8) -> Decimal {
        Decimal { value, places }
    }

    /// The value rounded to its printed places, so that what is compared,
    /// written to JSON and shown in a table agree.
    pub fn rounded(self) -> f64 {
        let factor = 10f64.powi(i32::from(self.places));
        (self.value * factor).round() / factor
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // print the rounded value so text, JSON and comparisons agree
        let v = self.rounded();
        let v = if v == 0.0 { 0.0 } else { v };
        write!(f, "{:.*}", usize::from(self.places), v)
    }
}

/// One cell of a result.
///
/// With serde a value is written plainly — `null`, `true`, `3`, `3.25`,
/// `"text"`, `"2024-03-12"`, `"requires improvement"` — so rows turn into
/// ordinary JSON and deserialise into a caller's own types.
#[derive(Clone, Debug)]
pub enum Value {
    /// Missing: an area not graded, a date not known. Never filled in.
    Null,
    /// A truth value (the result of a comparison used as a column).
    Bool(bool),
    /// A whole number (counts, `change()` steps).
    Int(i64),
    /// A decimal (scores, averages).
    Decimal(Decimal),
    /// Text: names, URLs, regions.
    Text(String),
    /// A date, possibly known only to the month.
    Date(Date),
    /// A PEEL grade.
    Grade(Grade),
}

impl Value {
    /// True for [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Decimal(_) => "number",
            Value::Text(_) => "text",
            Value::Date(_) => "date",
            Value::Grade(_) => "grade",
        }
    }

    /// The value as a number, where it is one (grades count as 1–5). Exact:
    /// a decimal gives its full value, not the value it prints as.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Decimal(d) => Some(d.value),
            Value::Grade(g) => Some(f64::from(g.rank())),
            _ => None,
        }
    }

    /// Compares two values of comparable types; `None` when either is null
    /// or the types do not compare (text with a grade, say).
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Null, _) | (_, Value::Null) => None,
            (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
            (Value::Text(a), Value::Text(b)) => Some(cmp_ignoring_case(a, b)),
            (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
            (Value::Grade(a), Value::Grade(b)) => Some(a.cmp(b)),
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (a, b) => match (a, b) {
                // numbers compare as printed, so `score = 3.33` finds 3.333…
                (Value::Int(_) | Value::Decimal(_), Value::Int(_) | Value::Decimal(_)) => {
                    let printed = |v: &Value| match v {
                        Value::Decimal(d) => d.rounded(),
                        other => other.as_f64().unwrap_or(f64::NAN),
                    };
                    printed(a).partial_cmp(&printed(b))
                }
                _ => None,
            },
        }
    }

    /// A total order for sorting: nulls after everything, then by
    /// [`Value::compare`], then by type name so mixed columns still sort.
    pub fn sort_cmp(&self, other: &Value) -> Ordering {
        match (self.is_null(), other.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => match (self, other) {
                // ignoring case first, then exactly, so the order is total
                (Value::Text(a), Value::Text(b)) => cmp_ignoring_case(a, b).then_with(|| a.cmp(b)),
                _ => self.compare(other).unwrap_or_else(|| self.type_name().cmp(other.type_name())),
            },
        }
    }

    /// Plain text for CSV cells and tables: empty for null.
    pub fn to_plain(&self) -> String {
        match self {
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }
}

/// Orders two texts as their lower-cased forms order (`to_lowercase`),
/// without making them when both are ASCII.
pub fn cmp_ignoring_case(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.bytes().map(|c| c.to_ascii_lowercase()).cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.to_lowercase().cmp(&b.to_lowercase())
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            _ => self.compare(other) == Some(Ordering::Equal),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Text(t) => f.write_str(t),
            Value::Date(d) => write!(f, "{d}"),
            Value::Grade(g) => write!(f, "{g}"),
        }
    }
}

impl Value {
    /// The text, if the value is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The grade, if the value is a grade.
    pub fn as_grade(&self) -> Option<Grade> {
        match self {
            Value::Grade(g) => Some(*g),
            _ => None,
        }
    }

    /// The whole number, if the value is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The date, if the value is a date.
    pub fn as_date(&self) -> Option<Date> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Decimal(Decimal::new(f, 2))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Grade> for Value {
    fn from(g: Grade) -> Value {
        Value::Grade(g)
    }
}

impl From<Date> for Value {
    fn from(d: Date) -> Value {
        Value::Date(d)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

impl Serialize for Grade {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() { s.serialize_str(self.name()) } else { s.serialize_u8(self.rank()) }
    }
}

impl<'de> Deserialize<'de> for Grade {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Grade, D::Error> {
        if d.is_human_readable() {
            let text = String::deserialize(d)?;
            Grade::parse(&text).ok_or_else(|| de::Error::custom(format!("{text:?} is not a grade")))
        } else {
            let rank = u8::deserialize(d)?;
            Grade::from_rank(rank).ok_or_else(|| de::Error::custom(format!("{rank} is not a grade rank")))
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            (self.year, self.month, self.day).serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        if d.is_human_readable() {
            let text = String::deserialize(d)?;
            Date::parse(&text).ok_or_else(|| de::Error::custom(format!("{text:?} is not a date")))
        } else {
            let (year, month, day) = <(u16, Option<u8>, Option<u8>)>::deserialize(d)?;
            Ok(Date { year, month, day })
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Decimal(d) => s.serialize_f64(d.rounded()),
            Value::Text(t) => s.serialize_str(t),
            Value::Date(d) => d.serialize(s),
            Value::Grade(g) => g.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// Reads any plain value: null, a boolean, a number or text (dates and
/// grades arrive as text and are read as such by the query they meet).
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null, a boolean, a number or a string")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        i64::try_from(u).map(Value::Int).map_err(|_| E::custom("number too large"))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Decimal(Decimal::new(f, 2)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Text(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Text(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_order_better_is_greater() {
        assert!(Grade::Outstanding > Grade::Good);
        assert!(Grade::Good > Grade::Adequate);
        assert!(Grade::Adequate > Grade::RequiresImprovement);
        assert!(Grade::RequiresImprovement > Grade::Inadequate);
        for g in Grade::ALL {
            assert_eq!(Grade::from_rank(g.rank()), Some(g));
        }
        assert_eq!(Grade::from_rank(0), None);
        assert_eq!(Grade::from_rank(6), None);
    }

    #[test]
    fn grade_words() {
        assert_eq!(Grade::parse("Requires  Improvement"), Some(Grade::RequiresImprovement));
        assert_eq!(Grade::parse("requires_improvement"), Some(Grade::RequiresImprovement));
        assert_eq!(Grade::parse("RI"), Some(Grade::RequiresImprovement));
        assert_eq!(Grade::parse("not graded"), None);
        assert_eq!(Grade::parse("inadequat"), None);
    }

    #[test]
    fn partial_dates() {
        let month = Date::parse("2025-02").unwrap();
        let day = Date::parse("2025-02-10").unwrap();
        assert!(month < day);
        assert_eq!(month.to_string(), "2025-02");
        assert_eq!(day.to_string(), "2025-02-10");
        assert_eq!(Date::parse("2024-02-30"), None);
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day), Some(Some(29)));
        assert_eq!(Date::parse("2023-13"), None);
        assert_eq!(Date::parse("24-01-01"), None);
        assert_eq!(Date::parse(""), None);
    }

    #[test]
    fn nulls_sort_last_and_never_equal_a_value() {
        let mut v = vec![Value::Null, Value::Int(2), Value::Int(1)];
        v.sort_by(Value::sort_cmp);
        assert_eq!(v, vec![Value::Int(1), Value::Int(2), Value::Null]);
        assert_eq!(Value::Null.compare(&Value::Int(1)), None);
        assert_ne!(Value::Null, Value::Int(0));
    }

    #[test]
    fn serde_is_plain_in_json_and_compact_in_binary() {
        let v = vec![
            Value::Grade(Grade::RequiresImprovement),
            Value::Date(Date::parse("2025-02").unwrap()),
            Value::Null,
        ];
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"["requires improvement","2025-02",null]"#);
        let g: Grade = serde_json::from_str(r#""ri""#).unwrap();
        assert_eq!(g, Grade::RequiresImprovement);
        let bytes = postcard::to_stdvec(&(Grade::Good, Date::parse("2024-03-12").unwrap())).unwrap();
        let back: (Grade, Date) = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, (Grade::Good, Date::parse("2024-03-12").unwrap()));
        let v: Value = serde_json::from_str("3.5").unwrap();
        assert_eq!(v, Value::Decimal(Decimal::new(3.5, 2)));
    }

    #[test]
    fn text_compares_as_lower_case() {
        for (a, b) in [
            ("Kent", "kent"),
            ("abc", "ABD"),
            ("Zeta", "alpha"),
            ("a", "ab"),
            ("", "x"),
            ("Éa", "éb"),
            ("ΣΑ", "σα"),
            ("İx", "ix"),
        ] {
            assert_eq!(cmp_ignoring_case(a, b), a.to_lowercase().cmp(&b.to_lowercase()), "{a} {b}");
            assert_eq!(cmp_ignoring_case(b, a), b.to_lowercase().cmp(&a.to_lowercase()), "{b} {a}");
        }
    }

    #[test]
    fn decimals_compare_as_printed() {
        let a = Value::Decimal(Decimal::new(3.333_333, 2));
        let b = Value::Decimal(Decimal::new(3.33, 2));
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "3.33");
    }
}
