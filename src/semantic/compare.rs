//! Comparisons and what a text constant means beside a typed column:
//! a grade, a date, a force, a programme, a region…

use super::columns::{self, Ty};
use super::resolve::{Resolver, both, resolve_err, type_err, unreachable_error, value_ty};
use super::{RExpr, SourceKind};
use crate::catalog::normalise;
use crate::error::{Error, Result};
use crate::suggest::{did_you_mean, did_you_mean_or_list, suggest};
use crate::syntax::{BinOp, Expr, ExprKind, Literal, Span};
use crate::value::{Date, Grade, Value};

impl Resolver<'_> {
    // ---- comparisons -----------------------------------------------------

    pub(super) fn comparison(
        &mut self,
        op: BinOp,
        op_span: Span,
        lhs: &Expr,
        rhs: &Expr,
        allow_agg: bool,
    ) -> Result<(RExpr, Ty)> {
        // `x = null` is never true: SQL's old trap, taught rather than allowed
        if op.is_comparison() {
            if let Some(null) =
                [lhs, rhs].into_iter().find(|e| matches!(e.kind, ExprKind::Literal(Literal::Null)))
            {
                let (word, fix) =
                    if op == BinOp::Ne { ("is not null", "is not null") } else { ("is null", "is null") };
                return Err(type_err(
                    "peelql::type::null_comparison",
                    format!("a comparison with `null` is never true, so no row would match; write `{word}`"),
                    op_span.to(null.span),
                    format!("use `{fix}`"),
                )
                .with_help("`null` means missing: test for it with `is null` or `is not null`"));
            }
            // `$f = …` where `$f` was given as null: the same trap, out of sight
            let null_param = [lhs, rhs].into_iter().find_map(|e| match &e.kind {
                ExprKind::Param(p) if matches!(self.params.0.get(&p.name), Some(Value::Null)) => {
                    Some((e.span, p.name.clone()))
                }
                _ => None,
            });
            if let Some((span, name)) = null_param {
                let word = if op == BinOp::Ne { "is not null" } else { "is null" };
                return Err(type_err(
                    "peelql::type::null_comparison",
                    format!(
                        "`${name}` is null, and a comparison with `null` is never true, so no row would match"
                    ),
                    op_span.to(span),
                    format!("`${name}` is null here"),
                )
                .with_help(format!("give `${name}` a value, or test for missing values with `{word}`")));
            }
        }
        if matches!(op, BinOp::Eq | BinOp::Ne) {
            if let Some(e) = self.bare_event_word(lhs, rhs).or_else(|| self.bare_event_word(rhs, lhs)) {
                return Err(e);
            }
        }
        let (l, lty) = match self.expr(lhs, allow_agg) {
            Ok(ok) => ok,
            // the right-hand side may be wrong too: say so in the same report
            Err(e) => {
                return Err(both(Err::<(), _>(e), self.expr(rhs, allow_agg))
                    .err()
                    .unwrap_or_else(|| unreachable_error(op_span)));
            }
        };
        // `area = "…"` on grades: the row's area is the one named
        if l == RExpr::Col(columns::Col::Area)
            && self.kind == Some(SourceKind::Grades)
            && matches!(op, BinOp::Eq | BinOp::Ne)
        {
            if let ExprKind::Literal(Literal::Str(_)) | ExprKind::Param(_) = rhs.kind {
                let m = RExpr::AreaIs(self.area_from_literal(rhs)?);
                return Ok((if op == BinOp::Ne { RExpr::Not(Box::new(m)) } else { m }, Ty::Bool));
            }
        }
        let (r, rty) = self.expr(rhs, allow_agg)?;
        if matches!(op, BinOp::Contains | BinOp::NotContains) {
            for (ty, e) in [(lty, lhs), (rty, rhs)] {
                if !matches!(ty, Ty::Text | Ty::Any) {
                    return Err(type_err(
                        "peelql::type::mismatch",
                        format!("`~` looks for text in text, but this is {}", ty.name()),
                        e.span,
                        "not text",
                    )
                    .with_help(if ty == Ty::Grade {
                        "compare grades with `=`, `at least` or `at most`, e.g. `grade = good`"
                    } else {
                        "`~` is for text such as names, e.g. `name ~ \"North\"`"
                    }));
                }
            }
            return Ok((RExpr::Cmp(op, Box::new(l), Box::new(r)), Ty::Bool));
        }
        // coerce whichever side is a text constant to the other side's type
        let (l, r) = if matches!(r, RExpr::Const(Value::Text(_) | Value::Int(_))) {
            let r = self.coerce(&l, lty, r, rty, rhs.span)?;
            (l, r)
        } else if matches!(l, RExpr::Const(Value::Text(_) | Value::Int(_))) {
            let l = self.coerce(&r, rty, l, lty, lhs.span)?;
            (l, r)
        } else {
            (l, r)
        };
        let (lty, rty) = (self.ty_after(&l, lty), self.ty_after(&r, rty));
        if !lty.compares_with(rty) {
            let quoted = [(&l, rty), (&r, lty)].into_iter().find_map(|(side, other)| match side {
                RExpr::Const(Value::Text(t)) if other == Ty::Number && t.trim().parse::<f64>().is_ok() => {
                    Some(t.trim().to_string())
                }
                _ => None,
            });
            let help = if let Some(number) = &quoted {
                &*format!("a number takes no quotes: `{number}`")
            } else if lty == Ty::Grade || rty == Ty::Grade {
                "grades compare with grade words: outstanding, good, adequate, requires improvement, inadequate"
            } else if (lty, rty) == (Ty::Date, Ty::Number) || (lty, rty) == (Ty::Number, Ty::Date) {
                "write the date as a date, e.g. `2024-01` or `2024-03-13`, or compare its year: `year(published) > 2023`"
            } else {
                "compare values of the same kind"
            };
            return Err(type_err(
                "peelql::type::mismatch",
                format!("cannot compare {} with {}", lty.name(), rty.name()),
                op_span,
                format!(
                    "{} {} {}",
                    lty.name(),
                    op_span.text(self.src).map_or(op.symbol().to_string(), |t| t
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")),
                    rty.name()
                ),
            )
            .with_help(help));
        }
        Ok((RExpr::Cmp(op, Box::new(l), Box::new(r)), Ty::Bool))
    }

    /// `event = engaged`: a bare word beside `event` (of `monitoring`, or a
    /// table column that came from it) that is no column and no move's
    /// word. Without this it would be an unknown column; it is a misspelt
    /// or guessed event, so the error names the two that exist.
    pub(super) fn bare_event_word(&self, event: &Expr, word: &Expr) -> Option<Error> {
        let (ExprKind::Column(event), ExprKind::Column(id)) = (&event.kind, &word.kind) else { return None };
        let is_column = |name: &str| match &self.table {
            Some(t) => t.rows.column_index(name).map(|i| t.origins.get(i).copied().flatten()),
            None => self.kind.and_then(|k| columns::find(k, name)).map(|info| Some(info.col)),
        };
        let from_monitoring = self.table.is_some() || self.kind == Some(SourceKind::Monitoring);
        let key = id.key();
        if !from_monitoring
            || is_column(&event.name) != Some(Some(columns::Col::Event))
            || is_column(&id.name).is_some()
            || crate::catalog::model::Move::parse(&key).is_some()
        {
            return None;
        }
        Some(unknown_event(&id.name, id.span))
    }

    pub(super) fn ty_after(&self, e: &RExpr, ty: Ty) -> Ty {
        match e {
            RExpr::Const(v) => value_ty(v),
            _ => ty,
        }
    }

    /// Turns a text constant compared with `other` into what it names:
    /// a grade, a date, a force's official name, a programme's name, or a
    /// checked region, country, basis, theme or scale.
    pub(super) fn coerce(
        &mut self,
        other: &RExpr,
        other_ty: Ty,
        value: RExpr,
        _vty: Ty,
        span: Span,
    ) -> Result<RExpr> {
        // a year written as a number against a date: `published >= 2024`
        if let (Ty::Date, RExpr::Const(Value::Int(y))) = (other_ty, &value) {
            if let Some(d) = u16::try_from(*y).ok().filter(|y| (1000..=9999).contains(y)) {
                return Ok(RExpr::Const(Value::Date(Date { year: d, month: None, day: None })));
            }
        }
        let RExpr::Const(Value::Text(text)) = &value else {
            return Ok(value);
        };
        let cat = &self.ds.catalog;
        // the source column the other side comes from (also through a `let` table)
        let origin = match other {
            RExpr::Col(c) => Some(*c),
            RExpr::DerivedCol(i) => self.table.as_ref().and_then(|t| t.origins.get(*i).copied().flatten()),
            _ => None,
        };
        match (origin, other_ty) {
            (_, Ty::Grade) => match Grade::parse(text) {
                Some(g) => Ok(RExpr::Const(Value::Grade(g))),
                None => Err(resolve_err(
                    "peelql::resolve::unknown_grade",
                    format!("{text:?} is not a grade"),
                    span,
                    "not a grade",
                )
                .with_help(
                    did_you_mean(&suggest(text, Grade::ALL.iter().map(|g| g.name()))).unwrap_or_else(|| {
                        "the grades are: outstanding, good, adequate, requires improvement, inadequate".into()
                    }),
                )),
            },
            (_, Ty::Date) => match Date::parse(text) {
                Some(d) => Ok(RExpr::Const(Value::Date(d))),
                None => Err(type_err(
                    "peelql::type::mismatch",
                    format!("{text:?} is not a date"),
                    span,
                    "expected YYYY-MM-DD, YYYY-MM or YYYY",
                )),
            },
            (Some(columns::Col::Force), _) => {
                let text = text.clone();
                self.force_named(&text, span)
            }
            (Some(columns::Col::Programme), _) => match cat.find_programme(text) {
                Ok(id) => {
                    let name = cat.programme(id).name.clone();
                    if !name.eq_ignore_ascii_case(text) {
                        self.notes.push(format!("programme {text:?} → {name}"));
                    }
                    Ok(RExpr::Const(Value::Text(name)))
                }
                Err(_) => Err(resolve_err(
                    "peelql::resolve::unknown_programme",
                    format!("there is no programme {text:?}"),
                    span,
                    "unknown programme",
                )
                .with_help(format!(
                    "the programmes are: {}",
                    cat.programmes.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
                ))),
            },
            (Some(columns::Col::Kind), _) => self.kind_value(text, span),
            (
                Some(
                    col @ (columns::Col::Region
                    | columns::Col::Country
                    | columns::Col::Basis
                    | columns::Col::Theme
                    | columns::Col::Scale
                    | columns::Col::Event),
                ),
                _,
            ) => {
                let vocab = self.vocabulary(col);
                match vocab.iter().find(|v| normalise(v) == normalise(text)) {
                    Some(v) => Ok(RExpr::Const(Value::Text(v.clone()))),
                    None => {
                        let what = columns::header(self.kind.unwrap_or(SourceKind::Forces), col);
                        let e = resolve_err(
                            "peelql::resolve::unknown_value",
                            format!("no {what} is called {text:?}"),
                            span,
                            format!("unknown {what}"),
                        );
                        // a quoted event gets the help a bare one does (`"engaged"` → `entered`)
                        Err(match col {
                            columns::Col::Event => with_event_help(e, text),
                            _ => e.with_help(did_you_mean_or_list(text, &vocab, "the values are")),
                        })
                    }
                }
            }
            _ => Ok(value),
        }
    }

    pub(super) fn vocabulary(&self, col: columns::Col) -> Vec<String> {
        let cat = &self.ds.catalog;
        let mut v: Vec<String> = match col {
            columns::Col::Region => cat.forces.iter().map(|f| f.region.clone()).collect(),
            columns::Col::Country => cat.forces.iter().map(|f| f.country.clone()).collect(),
            columns::Col::Basis => ["stated", "elimination", "inferred"].map(String::from).to_vec(),
            columns::Col::Theme => cat.themes.iter().map(|t| t.key.clone()).collect(),
            columns::Col::Event => ["entered", "left"].map(String::from).to_vec(),
            _ => ["four-tier", "five-tier"].map(String::from).to_vec(),
        };
        v.sort();
        v.dedup();
        v
    }

    pub(super) fn unknown_param(&self, name: &str, span: Span) -> Error {
        let mut known: Vec<&str> = self.params.0.keys().map(String::as_str).collect();
        known.sort();
        let help = did_you_mean(
            &suggest(name, known.iter().copied()).into_iter().map(|s| format!("${s}")).collect::<Vec<_>>(),
        )
        .unwrap_or_else(|| {
            format!("give it a value: `--param {name}=…` on the command line, or bind it from your program")
        });
        resolve_err(
            "peelql::resolve::unknown_parameter",
            format!("no value was given for `${name}`"),
            span,
            "unbound parameter",
        )
        .with_help(help)
    }
}

/// Words people use for a move into or out of Engage, with the event each
/// means: a misspelling of one of them is taken as that event.
const EVENT_WORDS: &[(&str, &str)] = &[
    ("entered", "entered"),
    ("enter", "entered"),
    ("enters", "entered"),
    ("entering", "entered"),
    ("entry", "entered"),
    ("engage", "entered"),
    ("engaged", "entered"),
    ("joined", "entered"),
    ("left", "left"),
    ("leave", "left"),
    ("leaves", "left"),
    ("leaving", "left"),
    ("exit", "left"),
    ("exited", "left"),
    ("exits", "left"),
    ("scan", "left"),
    ("returned", "left"),
    ("out", "left"),
];

/// `peelql::resolve::unknown_event`: `word` (at `span`) is not a move's
/// word; the help says which event it most likely means, and names both.
pub(super) fn unknown_event(word: &str, span: Span) -> Error {
    let e = resolve_err(
        "peelql::resolve::unknown_event",
        format!("`{word}` is not a move into or out of Engage"),
        span,
        "not an event",
    );
    with_event_help(e, word)
}

/// `e` with the help for `word` where a move's event goes, bare or quoted:
/// the event it most likely means (`engaged` → `entered`, `scan` →
/// `left`), then both event words.
pub(super) fn with_event_help(e: Error, word: &str) -> Error {
    let mut events: Vec<&str> = Vec::new();
    let mut because = None;
    for close in suggest(word, EVENT_WORDS.iter().map(|(w, _)| *w)) {
        let Some(&(w, event)) = EVENT_WORDS.iter().find(|(w, _)| *w == close) else { continue };
        if !events.contains(&event) {
            events.push(event);
            if w != event && because.is_none() {
                because = Some(match event {
                    "entered" => "a move into Engage is `entered`",
                    _ if w == "scan" => "a move back to Scan is `left`",
                    _ => "a move out of Engage is `left`",
                });
            }
        }
    }
    let e = match (events.as_slice(), because) {
        ([], _) => e,
        ([one], Some(why)) => e.with_help(format!("did you mean `{one}`? ({why})")),
        (some, _) => e.with_help(
            did_you_mean(&some.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap_or_default(),
        ),
    };
    e.with_help("the events are `entered` (into Engage) and `left` (back to Scan): `event = entered`")
}
