//! Property tests.
//!
//! 1. Printing round-trips: a random AST, pretty-printed and parsed again,
//!    is the same AST (spans aside).
//! 2. Nothing panics: arbitrary text and token soup go through parse →
//!    resolve → execute over the bundled data, and errors render.

use peelql::report::{Style, render};
use peelql::syntax::pretty::without_spans;
use peelql::syntax::{
    ArithOp, BinOp, Clause, Expr, ExprKind, Ident, Literal, OrderItem, Over, ProgrammeRef, ProgrammeRefKind,
    Quantifier, Query, SelectItem, Span, Spanned, Stage, Statement, StatementKind, parse_statement,
};
use peelql::{Date, Engine, Grade, Params};
use proptest::prelude::*;
use std::sync::OnceLock;

const SP: Span = Span { start: 0, end: 0 };

fn ident_name() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,7}".prop_filter("not a reserved word", |s| !peelql::syntax::parser::is_reserved(s))
}

fn ident() -> impl Strategy<Value = Ident> {
    ident_name().prop_map(|n| Ident::new(n, SP))
}

/// A name `show` takes: it starts with a letter.
fn word() -> impl Strategy<Value = Ident> {
    "[a-z][a-z0-9_]{0,7}"
        .prop_filter("not a reserved word", |s| !peelql::syntax::parser::is_reserved(s))
        .prop_map(|n| Ident::new(n, SP))
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        any::<String>().prop_map(Literal::Str),
        any::<i64>().prop_map(Literal::Int),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Literal::Decimal),
        (1000u16..=9999, 1u8..=12, proptest::option::of(1u8..=28))
            .prop_map(|(y, m, d)| { Literal::Date(Date { year: y, month: Some(m), day: d }) }),
        prop::sample::select(Grade::ALL.to_vec()).prop_map(Literal::Grade),
        any::<bool>().prop_map(Literal::Bool),
        Just(Literal::Null),
    ]
}

fn e(kind: ExprKind) -> Expr {
    Expr::new(kind, SP)
}

const COMPARISONS: [BinOp; 8] =
    [BinOp::Eq, BinOp::Ne, BinOp::Lt, BinOp::Le, BinOp::Gt, BinOp::Ge, BinOp::Contains, BinOp::NotContains];

/// A leaf: literal, column, parameter.
fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        3 => literal().prop_map(|l| e(ExprKind::Literal(l))),
        3 => ident().prop_map(|i| e(ExprKind::Column(i))),
        1 => "[a-z0-9_]{1,6}".prop_map(|p| e(ExprKind::Param(Ident::new(p, SP)))),
    ]
}

/// The test inside `any area …`, `every area …`, `count(area …)`.
fn area_test(inner: impl Strategy<Value = Expr> + Clone) -> impl Strategy<Value = Expr> {
    let each = || Box::new(e(ExprKind::EachArea));
    prop_oneof![
        (prop::sample::select(COMPARISONS.to_vec()), inner.clone()).prop_map(move |(op, rhs)| e(
            ExprKind::Binary { op: Spanned::new(op, SP), lhs: each(), rhs: Box::new(rhs) }
        )),
        (prop::collection::vec(inner, 1..3), any::<bool>())
            .prop_map(move |(list, negated)| e(ExprKind::InList { expr: each(), list, negated })),
        any::<bool>().prop_map(move |negated| e(ExprKind::IsNull { expr: each(), negated })),
    ]
}

/// A query inside an expression: a source, maybe a programme and a
/// filter, and a `select` (without a clause, `(t)` is a column).
fn subquery(inner: impl Strategy<Value = Expr> + Clone) -> impl Strategy<Value = Query> {
    (
        ident(),
        proptest::option::of(programme()),
        clause(inner.clone()),
        prop::collection::vec(inner.prop_map(|expr| SelectItem { expr, alias: None, span: SP }), 1..3),
    )
        .prop_map(|(source, programme, filter, items)| Query {
            source,
            programme,
            as_of: None,
            filter,
            group_by: None,
            select: Some(Clause { keyword: SP, body: items }),
            distinct: None,
            order_by: None,
            limit: None,
            then: Vec::new(),
            span: SP,
        })
}

fn expr() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            (inner.clone(), subquery(inner.clone()), any::<bool>()).prop_map(|(x, q, negated)| e(
                ExprKind::InQuery { expr: Box::new(x), query: Box::new(q), negated }
            )),
            subquery(inner.clone()).prop_map(|q| e(ExprKind::Subquery(Box::new(q)))),
            // windows: an aggregate or a rank, `per` a key or `overall`
            (
                prop_oneof![
                    (
                        prop::sample::select(vec!["count", "sum", "min", "max", "avg", "percent"]),
                        prop::collection::vec(inner.clone(), 0..2)
                    )
                        .prop_map(|(n, args)| e(ExprKind::Call { name: Ident::new(n, SP), args })),
                    prop::collection::vec((inner.clone(), any::<bool>()), 0..3).prop_map(|keys| e(
                        ExprKind::Rank {
                            name: Ident::new("rank", SP),
                            keys: keys
                                .into_iter()
                                .map(|(expr, descending)| OrderItem { expr, descending, span: SP })
                                .collect(),
                        }
                    )),
                ],
                proptest::option::of(inner.clone()),
            )
                .prop_map(|(func, key)| match (&func.kind, key) {
                    (ExprKind::Rank { .. }, None) => func,
                    (_, key) => e(ExprKind::Window {
                        func: Box::new(func),
                        over: match key {
                            Some(k) => Over::Per { keyword: SP, key: Box::new(k) },
                            None => Over::Overall(SP),
                        },
                    }),
                }),
            (ident(), prop::collection::vec(inner.clone(), 0..3))
                .prop_map(|(name, args)| e(ExprKind::Call { name, args })),
            inner.clone().prop_map(|x| e(ExprKind::Not(Box::new(x)))),
            (prop::sample::select(vec![BinOp::And, BinOp::Or]), inner.clone(), inner.clone()).prop_map(
                |(op, l, r)| e(ExprKind::Binary {
                    op: Spanned::new(op, SP),
                    lhs: Box::new(l),
                    rhs: Box::new(r)
                })
            ),
            (prop::sample::select(COMPARISONS.to_vec()), inner.clone(), inner.clone()).prop_map(
                |(op, l, r)| e(ExprKind::Binary {
                    op: Spanned::new(op, SP),
                    lhs: Box::new(l),
                    rhs: Box::new(r)
                })
            ),
            (inner.clone(), prop::collection::vec(inner.clone(), 1..3), any::<bool>())
                .prop_map(|(x, list, negated)| e(ExprKind::InList { expr: Box::new(x), list, negated })),
            (inner.clone(), any::<bool>())
                .prop_map(|(x, negated)| e(ExprKind::IsNull { expr: Box::new(x), negated })),
            (
                prop::sample::select(vec![ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div]),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, l, r)| e(ExprKind::Arith {
                    op: Spanned::new(op, SP),
                    lhs: Box::new(l),
                    rhs: Box::new(r)
                })),
            inner.clone().prop_map(|x| e(ExprKind::Neg(Box::new(x)))),
            (
                prop::sample::select(vec![Quantifier::Any, Quantifier::Every, Quantifier::Count]),
                area_test(inner)
            )
                .prop_map(|(q, t)| e(ExprKind::Quantified {
                    quantifier: Spanned::new(q, SP),
                    test: Box::new(t)
                })),
        ]
    })
}

fn programme() -> impl Strategy<Value = ProgrammeRef> {
    prop_oneof![
        Just(ProgrammeRefKind::Latest),
        Just(ProgrammeRefKind::All),
        any::<String>().prop_map(ProgrammeRefKind::Named),
        "[a-z0-9_]{1,6}".prop_map(ProgrammeRefKind::Param),
    ]
    .prop_map(|kind| ProgrammeRef { kind, span: SP })
}

fn clause<T: std::fmt::Debug>(body: impl Strategy<Value = T>) -> impl Strategy<Value = Option<Clause<T>>> {
    proptest::option::of(body.prop_map(|body| Clause { keyword: SP, body }))
}

fn select_item() -> impl Strategy<Value = SelectItem> {
    let alias = proptest::option::of(prop_oneof![ident(), any::<String>().prop_map(|s| Ident::new(s, SP))]);
    (expr(), alias).prop_map(|(expr, alias)| SelectItem { expr, alias, span: SP })
}

fn order_item() -> impl Strategy<Value = OrderItem> {
    (expr(), any::<bool>()).prop_map(|(expr, descending)| OrderItem { expr, descending, span: SP })
}

/// A stage after `then`: at least one clause.
fn stage() -> impl Strategy<Value = Stage> {
    (
        clause(expr()),
        clause(prop::collection::vec(expr(), 1..3)),
        clause(prop::collection::vec(select_item(), 1..3)),
        clause(prop::collection::vec(order_item(), 1..3)),
        clause(expr()),
        any::<bool>(),
    )
        .prop_filter("a stage has a clause", |(a, b, c, d, e, _)| {
            a.is_some() || b.is_some() || c.is_some() || d.is_some() || e.is_some()
        })
        .prop_map(|(filter, group_by, select, order_by, limit, distinct)| Stage {
            keyword: SP,
            filter,
            group_by,
            distinct: (distinct && select.is_some()).then_some(SP),
            select,
            order_by,
            limit,
            span: SP,
        })
}

fn query() -> impl Strategy<Value = Query> {
    (
        ident(),
        proptest::option::of(programme()),
        clause(expr()),
        clause(prop::collection::vec(expr(), 1..3)),
        clause(prop::collection::vec(select_item(), 1..3)),
        clause(prop::collection::vec(order_item(), 1..3)),
        clause(expr()),
        prop::collection::vec(stage(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(source, programme, filter, group_by, select, order_by, limit, then, distinct)| {
            Query {
                source,
                programme,
                as_of: None,
                filter,
                group_by,
                distinct: (distinct && select.is_some()).then_some(SP),
                select,
                order_by,
                limit,
                then,
                span: SP,
            }
        })
}

fn statement() -> impl Strategy<Value = Statement> {
    prop_oneof![
        4 => query().prop_map(StatementKind::Query),
        1 => (ident(), query()).prop_map(|(name, query)| StatementKind::Let { name, query }),
        1 => query().prop_map(StatementKind::Explain),
        1 => (word(), proptest::option::of(word()), proptest::option::of(programme()))
            .prop_map(|(what, of, programme)| StatementKind::Show { what, of, programme, subject: None }),
        1 => (word(), any::<String>()).prop_map(|(what, name)| StatementKind::Show {
            what,
            of: None,
            programme: None,
            subject: Some(Ident::new(name, SP)),
        }),
    ]
    .prop_map(|kind| Statement { kind, span: SP })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn printed_statements_parse_back_to_the_same_tree(stmt in statement()) {
        let text = stmt.to_string();
        let parsed = parse_statement(&text).map_err(|e| TestCaseError::fail(format!("{text}\n{e:?}")))?;
        prop_assert_eq!(without_spans(&parsed), without_spans(&stmt), "{}", text);
    }
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::in_memory().expect("bundled data loads"))
}

/// Parses, resolves and runs `src`; renders the error if there is one.
fn run_anything(src: &str) {
    let mut params = Params::new();
    params.set("n", Params::parse_value("3"));
    params.set("area", Params::parse_value("responding"));
    let mut session = engine().session();
    if let Err(e) = session.run_script(src, &params, |_, _| {}) {
        // every label points into the text, on character boundaries
        for p in e.problems() {
            for l in p.labels() {
                let ok = l.span.end <= src.len()
                    && src.is_char_boundary(l.span.start)
                    && src.is_char_boundary(l.span.end);
                assert!(ok, "{}: label {:?} outside {src:?}", p.code_str(), l.span);
            }
        }
        let _ = render(&e.with_source("query", src), &Style::plain(80));
    }
}

/// Words and symbols of the language (and of SQL), to make token soup that
/// gets past the first token more often than random text does.
const TOKENS: &[&str] = &[
    "forces",
    "grades",
    "areas",
    "inspections",
    "programmes",
    "where",
    "group",
    "by",
    "select",
    "order",
    "sort",
    "limit",
    "let",
    "explain",
    "show",
    "columns",
    "and",
    "or",
    "not",
    "in",
    "is",
    "null",
    "any",
    "every",
    "area",
    "count",
    "previous",
    "change",
    "year",
    "min",
    "max",
    "avg",
    "at",
    "least",
    "most",
    "better",
    "worse",
    "than",
    "good",
    "inadequate",
    "requires",
    "improvement",
    "outstanding",
    "adequate",
    "peel",
    "2021",
    "latest",
    "all",
    "name",
    "score",
    "grade",
    "force",
    "region",
    "published",
    "programme",
    "basis",
    "desc",
    "asc",
    "as",
    "(",
    ")",
    ",",
    ";",
    "=",
    "==",
    "!=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "~",
    "!~",
    "*",
    "&&",
    "||",
    "\"cambs\"",
    "'x",
    "\"",
    "\"responding\"",
    "\"sex offenders\"",
    "2024-03-13",
    "2024-02-30",
    "-1",
    "3.5",
    "$n",
    "$area",
    "$nope",
    "--",
    "\n",
    "SELECT",
    "FROM",
    "LIKE",
    "'%a%'",
    "\u{201c}",
    "\u{201d}",
    "é",
    "9999999999999999999999",
    "+",
    "-",
    "*",
    "/",
    "- -",
    "round(",
    "percent(",
    "score / 0",
    "then",
    "then where",
    "(forces select name)",
    "in (grades select force)",
    "(forces select avg(score))",
    "having",
    "distinct",
    "select distinct",
    "per",
    "per region",
    "overall",
    "avg(score) overall",
    "rank(",
    "rank(score desc)",
    "rank()",
    "count(distinct",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS.to_vec()), 0..24).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(src in any::<String>()) {
        run_anything(&src);
    }

    #[test]
    fn token_soup_never_panics(src in soup()) {
        run_anything(&src);
    }

    #[test]
    fn printed_random_trees_run_without_panicking(stmt in statement()) {
        run_anything(&stmt.to_string());
    }
}
