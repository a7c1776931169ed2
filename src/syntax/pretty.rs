//! The pretty-printer: an AST back to PeelQL text.
//!
//! `Display` for [`Statement`], [`Query`] and [`Expr`] writes text that
//! parses back to the same tree (spans aside): parentheses are added where
//! precedence needs them, strings are escaped, decimals keep their point.
//! The property tests in `tests/properties.rs` hold it to that.
//!
//! ```
//! use peelql::syntax::parse_statement;
//! let stmt = parse_statement(r#"forces WHERE (area("999") AT LEAST good) LIMIT 3"#).unwrap();
//! assert_eq!(stmt.to_string(), r#"forces where area("999") >= good limit 3"#);
//! ```

use super::ast::{
    ArithOp, BinOp, Clauses, Expr, ExprKind, Ident, Literal, Over, ProgrammeRef, ProgrammeRefKind,
    Quantifier, Query, Statement, StatementKind,
};
use std::fmt::{self, Display, Formatter};

/// How tightly an expression binds, loosest first. An expression printed
/// where a tighter one is required gets parentheses.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Or,
    And,
    /// `not`, comparisons, `in (…)`, `is null`, `any area …`.
    Predicate,
    /// `a + b`, `a - b`.
    Sum,
    /// `a * b`, `a / b`.
    Product,
    /// `- x`.
    Unary,
    /// Literals, columns, parameters, calls.
    Operand,
}

fn level(e: &Expr) -> Level {
    match &e.kind {
        ExprKind::Binary { op, .. } if op.node == BinOp::Or => Level::Or,
        ExprKind::Binary { op, .. } if op.node == BinOp::And => Level::And,
        ExprKind::Binary { .. }
        | ExprKind::Not(_)
        | ExprKind::InList { .. }
        | ExprKind::InQuery { .. }
        | ExprKind::IsNull { .. } => Level::Predicate,
        ExprKind::Quantified { quantifier, .. } if quantifier.node != Quantifier::Count => Level::Predicate,
        ExprKind::Arith { op, .. } if matches!(op.node, ArithOp::Add | ArithOp::Sub) => Level::Sum,
        ExprKind::Arith { .. } => Level::Product,
        ExprKind::Neg(_) => Level::Unary,
        // a negative number literal binds as unary minus does
        ExprKind::Literal(Literal::Int(i)) if *i < 0 => Level::Unary,
        ExprKind::Literal(Literal::Decimal(d)) if d.is_sign_negative() => Level::Unary,
        _ => Level::Operand,
    }
}

/// `e` where at least `need` is required.
struct At<'a>(&'a Expr, Level);

impl Display for At<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if level(self.0) < self.1 { write!(f, "({})", self.0) } else { write!(f, "{}", self.0) }
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Literal(l) => write!(f, "{l}"),
            ExprKind::Column(id) => f.write_str(&id.name),
            ExprKind::Param(id) => write!(f, "${}", id.name),
            ExprKind::EachArea => f.write_str("area"),
            ExprKind::Call { name, args } => {
                write!(f, "{}(", name.name)?;
                for (n, a) in args.iter().enumerate() {
                    if n > 0 {
                        f.write_str(", ")?;
                    }
                    let text = a.to_string();
                    // `count(area …)` is the quantifier: a column called
                    // `area` as count's first argument needs parentheses
                    if n == 0 && name.key() == "count" && starts_with_word(&text, "area") {
                        write!(f, "({text})")?;
                    } else {
                        f.write_str(&text)?;
                    }
                }
                f.write_str(")")
            }
            ExprKind::Not(inner) => write!(f, "not {}", At(inner, Level::Predicate)),
            ExprKind::Binary { op, lhs, rhs } => match op.node {
                BinOp::Or => write!(f, "{} or {}", At(lhs, Level::Or), At(rhs, Level::And)),
                BinOp::And => write!(f, "{} and {}", At(lhs, Level::And), At(rhs, Level::Predicate)),
                other => write!(f, "{} {} {}", At(lhs, Level::Sum), other.symbol(), At(rhs, Level::Sum)),
            },
            ExprKind::Arith { op, lhs, rhs } => {
                let (left, right) = match op.node {
                    // left-associative: the right operand binds tighter
                    ArithOp::Add | ArithOp::Sub => (Level::Sum, Level::Product),
                    ArithOp::Mul | ArithOp::Div => (Level::Product, Level::Unary),
                };
                write!(f, "{} {} {}", At(lhs, left), op.node.symbol(), At(rhs, right))
            }
            // a space after `-`, so `- 1` does not read back as the literal -1
            ExprKind::Neg(inner) => write!(f, "- {}", At(inner, Level::Unary)),
            ExprKind::InList { expr, list, negated } => {
                write!(f, "{} {}in (", At(expr, Level::Sum), if *negated { "not " } else { "" })?;
                for (n, item) in list.iter().enumerate() {
                    if n > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(")")
            }
            ExprKind::InQuery { expr, query, negated } => {
                write!(f, "{} {}in ({query})", At(expr, Level::Sum), if *negated { "not " } else { "" })
            }
            ExprKind::Subquery(query) => write!(f, "({query})"),
            ExprKind::Rank { name, keys } => {
                write!(f, "{}(", name.name)?;
                list(f, keys, |f, k| write!(f, "{}{}", k.expr, if k.descending { " desc" } else { "" }))?;
                f.write_str(")")
            }
            ExprKind::Window { func, over } => match over {
                Over::Per { key, .. } => {
                    write!(f, "{} per {}", At(func, Level::Operand), At(key, Level::Operand))
                }
                Over::Overall(_) => write!(f, "{} overall", At(func, Level::Operand)),
            },
            ExprKind::IsNull { expr, negated } => {
                write!(f, "{} is {}null", At(expr, Level::Sum), if *negated { "not " } else { "" })
            }
            ExprKind::Quantified { quantifier, test } => match quantifier.node {
                Quantifier::Any => write!(f, "any {test}"),
                Quantifier::Every => write!(f, "every {test}"),
                Quantifier::Count => write!(f, "count({test})"),
            },
        }
    }
}

/// True when `text` starts with the whole word `word`, not followed by `(`.
fn starts_with_word(text: &str, word: &str) -> bool {
    let Some(rest) =
        text.get(..word.len()).filter(|w| w.eq_ignore_ascii_case(word)).map(|_| &text[word.len()..])
    else {
        return false;
    };
    !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') && !rest.trim_start().starts_with('(')
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Str(s) => write_string(f, s),
            Literal::Int(n) => write!(f, "{n}"),
            Literal::Decimal(d) => {
                let text = d.to_string();
                if text.contains('.') { f.write_str(&text) } else { write!(f, "{text}.0") }
            }
            Literal::Date(d) => write!(f, "{d}"),
            Literal::Grade(g) => f.write_str(g.name()),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Null => f.write_str("null"),
        }
    }
}

/// A string literal in double quotes, escaped the way the lexer reads it.
fn write_string(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

/// A name where the grammar takes a word or a string (`as` aliases).
fn write_word_or_string(f: &mut Formatter<'_>, id: &Ident) -> fmt::Result {
    let word = id.name.starts_with(|c: char| c.is_ascii_alphabetic())
        && id.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if word { f.write_str(&id.name) } else { write_string(f, &id.name) }
}

impl Display for ProgrammeRef {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ProgrammeRefKind::Latest => f.write_str("latest"),
            ProgrammeRefKind::All => f.write_str("all"),
            ProgrammeRefKind::Named(name) => write_string(f, name),
            ProgrammeRefKind::Param(p) => write!(f, "${p}"),
        }
    }
}

fn list<T>(
    f: &mut Formatter<'_>,
    items: &[T],
    mut one: impl FnMut(&mut Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            f.write_str(", ")?;
        }
        one(f, item)?;
    }
    Ok(())
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source.name)?;
        if let Some(p) = &self.programme {
            write!(f, " in {p}")?;
        }
        if let Some(c) = &self.as_of {
            f.write_str(" as of ")?;
            list(f, &c.body, |f, e| write!(f, "{e}"))?;
        }
        clauses(f, self.clauses())?;
        for stage in &self.then {
            f.write_str(" then")?;
            clauses(f, stage.clauses())?;
        }
        Ok(())
    }
}

/// One stage's clauses, each with a space before it.
fn clauses(f: &mut Formatter<'_>, q: Clauses<'_>) -> fmt::Result {
    if let Some(c) = q.filter {
        write!(f, " where {}", c.body)?;
    }
    if let Some(c) = q.group_by {
        f.write_str(" group by ")?;
        list(f, &c.body, |f, e| write!(f, "{e}"))?;
    }
    if let Some(c) = q.select {
        f.write_str(if q.distinct.is_some() { " select distinct " } else { " select " })?;
        let mut first = true;
        list(f, &c.body, |f, item| {
            let text = item.expr.to_string();
            // a column called `distinct` first in `select` is not the keyword
            let distinct = text.get(..8).is_some_and(|w| w.eq_ignore_ascii_case("distinct"))
                && !text[8..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
            if std::mem::take(&mut first) && distinct {
                write!(f, "({text})")?;
            } else {
                f.write_str(&text)?;
            }
            if let Some(a) = &item.alias {
                f.write_str(" as ")?;
                write_word_or_string(f, a)?;
            }
            Ok(())
        })?;
    }
    if let Some(c) = q.order_by {
        f.write_str(" order by ")?;
        list(f, &c.body, |f, item| write!(f, "{}{}", item.expr, if item.descending { " desc" } else { "" }))?;
    }
    if let Some(c) = q.limit {
        write!(f, " limit {}", At(&c.body, Level::Operand))?;
    }
    Ok(())
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StatementKind::Query(q) => write!(f, "{q}"),
            StatementKind::Let { name, query } => write!(f, "let {} = {query}", name.name),
            StatementKind::Explain(q) => write!(f, "explain {q}"),
            StatementKind::Show { what, of, programme, subject } => {
                write!(f, "show {}", what.name)?;
                if let Some(s) = subject {
                    f.write_str(" ")?;
                    write_string(f, &s.name)?;
                }
                if let Some(o) = of {
                    write!(f, " {}", o.name)?;
                }
                if let Some(p) = programme {
                    write!(f, " in {p}")?;
                }
                Ok(())
            }
        }
    }
}

/// The statement with every span set to `0..0`, so two trees can be
/// compared for what they say rather than where they were written.
pub fn without_spans(stmt: &Statement) -> Statement {
    let mut s = stmt.clone();
    super::visit::for_each_span(&mut s, &mut |span| *span = super::Span::default());
    s
}

#[cfg(test)]
mod tests {
    use crate::syntax::parse_statement;

    #[test]
    fn prints_what_parses_back() {
        for (src, printed) in [
            ("forces", "forces"),
            (
                "forces IN peel 2021 WHERE Any Area = INADEQUATE",
                "forces in \"peel 2021\" where any area = inadequate",
            ),
            (
                "forces where not (a = 1 or b = 2) and c is not null",
                "forces where not (a = 1 or b = 2) and c is not null",
            ),
            ("forces where a = 1 and (b = 2 and c = 3)", "forces where a = 1 and (b = 2 and c = 3)"),
            (
                "grades where count(area = good) >= 2 order by x desc limit $n",
                "grades where count(area = good) >= 2 order by x desc limit $n",
            ),
            ("grades where count((area) = good) > 1", "grades where count((area = good)) > 1"),
            (
                r#"areas select name as "the name", 2.0 as two where name ~ 'a"b\\'"#,
                r#"areas where name ~ "a\"b\\" select name as "the name", 2.0 as two"#,
            ),
            (
                "let x = forces where region in (\"Wales\") select name",
                "let x = forces where region in (\"Wales\") select name",
            ),
            ("show columns grades", "show columns grades"),
            ("forces select distinct region, name", "forces select distinct region, name"),
            (
                "forces select rank(count(area >= good) DESC, name) Per region, score - avg(score) OVERALL",
                "forces select rank(count(area >= good) desc, name) per region, score - avg(score) overall",
            ),
            ("forces where score > avg(score) per (region)", "forces where score > avg(score) per region"),
            ("forces select distinct, name", "forces select (distinct), name"),
            ("forces select distinct as d", "forces select (distinct) as d"),
            (
                "explain grades where grade at least requires improvement",
                "explain grades where grade >= requires improvement",
            ),
        ] {
            let stmt = parse_statement(src).unwrap_or_else(|e| panic!("{src}: {e}"));
            assert_eq!(stmt.to_string(), printed, "{src}");
            let again = parse_statement(&stmt.to_string()).unwrap_or_else(|e| panic!("{printed}: {e}"));
            assert_eq!(super::without_spans(&again), super::without_spans(&stmt), "{src}");
        }
    }
}
