//! Values for a query's `$name` parameters: set from Rust, read from a
//! command line, or declared as defaults in a script's `-- params:` line.

use crate::value::{Date, Decimal, Grade, Value};
use std::collections::HashMap;

/// Values for `$name` parameters, by name (without the `$`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params(pub HashMap<String, Value>);

impl Params {
    /// No parameters.
    pub fn new() -> Params {
        Params::default()
    }

    /// Binds `name` (without `$`) to `value`: a grade, text, a number, a
    /// date… A text value compared with a typed column is read as that
    /// type (`"inadequate"` against a grade).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<Value>) -> &mut Params {
        self.0.insert(name.into().trim_start_matches('$').to_string(), value.into());
        self
    }

    /// `set`, by value: `Params::new().with("g", Grade::Inadequate)`.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Params {
        self.set(name, value);
        self
    }

    /// The defaults a script declares in its `-- params:` comment lines:
    /// `-- params: force=gmp area=investigating` (a value with spaces in
    /// double quotes: `region="North West"`). Each value is read as
    /// [`Params::parse_value`] reads a command-line one; a word without
    /// `=` is no parameter. Values given on the command line win: lay them
    /// over these with [`Params::or_defaults`].
    ///
    /// ```
    /// let src = "-- params: force=gmp region=\"North West\"\ngrades where force = $force;";
    /// let p = peelql::Params::script_defaults(src);
    /// assert_eq!(p.0["force"], peelql::Value::Text("gmp".into()));
    /// assert_eq!(p.0["region"], peelql::Value::Text("North West".into()));
    /// ```
    pub fn script_defaults(src: &str) -> Params {
        let mut params = Params::new();
        for line in src.lines() {
            let Some(rest) = line.trim().strip_prefix("--").map(str::trim_start) else { continue };
            let Some(rest) = rest.strip_prefix("params:") else { continue };
            for (name, value) in header_pairs(rest) {
                params.set(name, Params::parse_value(&value));
            }
        }
        params
    }

    /// These values, with `defaults` for the names they lack: the command
    /// line's `--param`s over a script's [`Params::script_defaults`].
    pub fn or_defaults(mut self, defaults: Params) -> Params {
        for (name, value) in defaults.0 {
            self.0.entry(name).or_insert(value);
        }
        self
    }

    /// Reads a value written on a command line: a number, a date, a grade
    /// word, `null`, `true`/`false`, or else text.
    pub fn parse_value(text: &str) -> Value {
        let t = text.trim();
        if let Ok(i) = t.parse::<i64>() {
            Value::Int(i)
        } else if let (Ok(f), true) = (t.parse::<f64>(), t.contains('.')) {
            Value::Decimal(Decimal::new(f, 2))
        } else if let Some(d) = Date::parse(t).filter(|_| t.len() >= 7) {
            Value::Date(d)
        } else if let Some(g) = Grade::parse(t) {
            Value::Grade(g)
        } else if t.eq_ignore_ascii_case("null") {
            Value::Null
        } else if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
            Value::Bool(t.eq_ignore_ascii_case("true"))
        } else {
            Value::Text(text.to_string())
        }
    }
}

/// The `name=value` pairs of a `-- params:` line; a value may be in
/// double quotes, which keep its spaces.
fn header_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let Some(eq) = rest[..word_end].find('=') else {
            rest = rest[word_end..].trim_start();
            continue;
        };
        let name = rest[..eq].trim_start_matches('$').to_string();
        let after = &rest[eq + 1..];
        let (value, next) = match after.strip_prefix('"').and_then(|a| a.find('"').map(|n| (a, n))) {
            Some((a, n)) => (a[..n].to_string(), &a[n + 1..]),
            None => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (after[..end].to_string(), &after[end..])
            }
        };
        if !name.is_empty() {
            out.push((name, value));
        }
        rest = next.trim_start();
    }
    out
}
