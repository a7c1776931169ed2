//! The abstract syntax tree: what the parser makes of the text, before any
//! name is looked up. Every node carries its [`Span`].
//!
//! The grammar is written down in `grammar/peelql.ebnf`; the node names here
//! follow its rule names.

use super::span::{Span, Spanned};
use crate::value::{Date, Grade};
use serde::{Deserialize, Serialize};

/// A script: statements separated by `;`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Script {
    /// The statements in order. Empty statements (`;;`) are dropped.
    pub statements: Vec<Statement>,
}

/// One statement of a script.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// What kind of statement.
    pub kind: StatementKind,
    /// From its first to its last token (the `;` excluded).
    pub span: Span,
}

/// The statements of the language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StatementKind {
    /// `forces where …`
    Query(Query),
    /// `let name = <query>`: later statements may start from `name`.
    Let {
        /// The bound name.
        name: Ident,
        /// The query it stands for.
        query: Query,
    },
    /// `explain <query>`: how names resolve and how the query will run.
    Explain(Query),
    /// `show forces|areas|programmes|themes|sources|columns [in <programme>]`
    /// (`show columns <source>` names the source as `of`), and
    /// `show force|service "<name>"` (the name as `subject`).
    Show {
        /// What to show, as written.
        what: Ident,
        /// `show columns grades`: the source asked about.
        of: Option<Ident>,
        /// `show areas in peel 2021`.
        programme: Option<ProgrammeRef>,
        /// `show service "Cumbria"`, `show force "cambs"`: the name asked
        /// about, unquoted, with the span of the quoted text.
        subject: Option<Ident>,
    },
}

/// A name as written, e.g. a column, source or function name.
/// Names compare case-insensitively; see [`Ident::key`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ident {
    /// The name exactly as written.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

impl Ident {
    /// A name with its span.
    pub fn new(name: impl Into<String>, span: Span) -> Ident {
        Ident { name: name.into(), span }
    }

    /// The lower-cased name used for lookups.
    pub fn key(&self) -> String {
        self.name.to_ascii_lowercase()
    }
}

/// A query: a source, an optional programme, and clauses.
///
/// Clauses may be written in any order but are applied in the order
/// where → group by → select → order by → limit. Each appears at most once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// `forces`, `inspections`, `grades`, `areas`, `programmes`, or a `let` name.
    pub source: Ident,
    /// `in peel 2021`, `in latest`, `in all`.
    pub programme: Option<ProgrammeRef>,
    /// `as of <date>, …`: the dates the `engage…` columns answer for.
    pub as_of: Option<Clause<Vec<Expr>>>,
    /// `where <expr>`.
    pub filter: Option<Clause<Expr>>,
    /// `group by <expr>, …`.
    pub group_by: Option<Clause<Vec<Expr>>>,
    /// `select <expr> [as name], …`.
    pub select: Option<Clause<Vec<SelectItem>>>,
    /// `select distinct …`: the span of `distinct`; each output row once.
    pub distinct: Option<Span>,
    /// `order by <expr> [asc|desc], …` (or `sort by`).
    pub order_by: Option<Clause<Vec<OrderItem>>>,
    /// `limit <n>`.
    pub limit: Option<Clause<Expr>>,
    /// The stages after the first, each introduced by `then` and reading
    /// the rows (and only the columns) the stage before it made.
    pub then: Vec<Stage>,
    /// The whole query.
    pub span: Span,
}

/// A stage after `then`: the clauses of a query without its source, over
/// the previous stage's result. Its clauses are applied in the same order
/// as a query's (where → group by → select → order by → limit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    /// The `then`.
    pub keyword: Span,
    /// `where <expr>`: a filter on the previous stage's rows (SQL's
    /// `HAVING` when that stage grouped).
    pub filter: Option<Clause<Expr>>,
    /// `group by <expr>, …`.
    pub group_by: Option<Clause<Vec<Expr>>>,
    /// `select <expr> [as name], …`.
    pub select: Option<Clause<Vec<SelectItem>>>,
    /// `select distinct …`: the span of `distinct`.
    pub distinct: Option<Span>,
    /// `order by <expr> [asc|desc], …`.
    pub order_by: Option<Clause<Vec<OrderItem>>>,
    /// `limit <n>`.
    pub limit: Option<Clause<Expr>>,
    /// From `then` to the stage's end.
    pub span: Span,
}

/// The clauses of one stage, borrowed from a [`Query`] (its first stage)
/// or a [`Stage`].
#[derive(Clone, Copy, Debug)]
pub struct Clauses<'a> {
    /// `where`.
    pub filter: Option<&'a Clause<Expr>>,
    /// `group by`.
    pub group_by: Option<&'a Clause<Vec<Expr>>>,
    /// `select`.
    pub select: Option<&'a Clause<Vec<SelectItem>>>,
    /// `select distinct`: the span of `distinct`.
    pub distinct: Option<Span>,
    /// `order by`.
    pub order_by: Option<&'a Clause<Vec<OrderItem>>>,
    /// `limit`.
    pub limit: Option<&'a Clause<Expr>>,
    /// The stage's span.
    pub span: Span,
}

impl Query {
    /// The first stage's clauses.
    pub fn clauses(&self) -> Clauses<'_> {
        Clauses {
            filter: self.filter.as_ref(),
            group_by: self.group_by.as_ref(),
            select: self.select.as_ref(),
            distinct: self.distinct,
            order_by: self.order_by.as_ref(),
            limit: self.limit.as_ref(),
            span: self.then.first().map_or(self.span, |t| Span::new(self.span.start, t.keyword.start)),
        }
    }
}

impl Stage {
    /// The stage's clauses.
    pub fn clauses(&self) -> Clauses<'_> {
        Clauses {
            filter: self.filter.as_ref(),
            group_by: self.group_by.as_ref(),
            select: self.select.as_ref(),
            distinct: self.distinct,
            order_by: self.order_by.as_ref(),
            limit: self.limit.as_ref(),
            span: self.span,
        }
    }
}

/// A clause body with the span of its keyword(s).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Clause<T> {
    /// Span of `where`, `group by`, `order by`…
    pub keyword: Span,
    /// What follows the keyword.
    pub body: T,
}

/// The programme after `in`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeRef {
    /// Which programme(s).
    pub kind: ProgrammeRefKind,
    /// Where it was written (without the `in`).
    pub span: Span,
}

/// The forms a programme can be named in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ProgrammeRefKind {
    /// `in latest`: each force's latest graded programme (the default).
    Latest,
    /// `in all`: every programme.
    All,
    /// `in peel 2021`, `in "PEEL 2023-25"`, `in 2021/22`: the text to resolve,
    /// normalised to single spaces (`peel 2021`).
    Named(String),
    /// `in $cycle`: bound at run time.
    Param(String),
}

/// One item of `select`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SelectItem {
    /// The value to compute.
    pub expr: Expr,
    /// `as name` (an identifier or a string).
    pub alias: Option<Ident>,
    /// The item including its alias.
    pub span: Span,
}

/// One key of `order by`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderItem {
    /// The sort key.
    pub expr: Expr,
    /// `desc` was written.
    pub descending: bool,
    /// The key including `asc`/`desc`.
    pub span: Span,
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

impl Expr {
    /// An expression node.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }
}

/// The expressions of the language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ExprKind {
    /// `"text"`, `3`, `2.5`, `2024-03-13`, `good`, `null`, `true`.
    Literal(Literal),
    /// A column name: `name`, `region`, `grade`, `score`…
    Column(Ident),
    /// `$name`, bound by the host or `--param name=value` (the `$` is not
    /// part of the name).
    Param(Ident),
    /// A function call: `area("…")`, `previous(…)`, `change(…)`, `count()`,
    /// `min(…)`, `max(…)`, `avg(…)`.
    Call {
        /// The function name.
        name: Ident,
        /// Its arguments.
        args: Vec<Expr>,
    },
    /// `not <expr>`.
    Not(Box<Expr>),
    /// `a = b`, `a and b`, `a ~ b`, `a at least b`…
    Binary {
        /// The operator (word forms are normalised, see [`BinOp`]).
        op: Spanned<BinOp>,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `x in ("a", "b")`, `x not in (…)`.
    InList {
        /// The tested value.
        expr: Box<Expr>,
        /// The candidates.
        list: Vec<Expr>,
        /// `not in`.
        negated: bool,
    },
    /// `x is null`, `x is not null`.
    IsNull {
        /// The tested value.
        expr: Box<Expr>,
        /// `is not null`.
        negated: bool,
    },
    /// `any area = inadequate`, `every area >= adequate`,
    /// `count(area = inadequate)`: a test applied to each graded area of the
    /// row's inspection. The test's operand is [`ExprKind::EachArea`].
    Quantified {
        /// `any`, `every` or `count`.
        quantifier: Spanned<Quantifier>,
        /// The test, e.g. `area = inadequate`.
        test: Box<Expr>,
    },
    /// The word `area` inside a quantifier: the grade of each area in turn.
    EachArea,
    /// `a + b`, `a - b`, `a * b`, `a / b`: arithmetic on numbers.
    Arith {
        /// The operator.
        op: Spanned<ArithOp>,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `- x`: unary minus (`-1` written as one token is a number literal).
    Neg(Box<Expr>),
    /// `x in (<query>)`, `x not in (<query>)`: the query's one column as
    /// the list.
    InQuery {
        /// The tested value.
        expr: Box<Expr>,
        /// The query giving the candidates.
        query: Box<Query>,
        /// `not in`.
        negated: bool,
    },
    /// `(<query>)` as a value: its one column of at most one row.
    Subquery(Box<Query>),
    /// `rank(key [asc|desc], …)`: the row's place when the rows are sorted
    /// by the keys, ties sharing a place (1, 2, 2, 4); over all the rows
    /// the clause reads, or each group of them with `per`.
    Rank {
        /// The word `rank`.
        name: Ident,
        /// The keys, as `order by` takes them (none is an error).
        keys: Vec<OrderItem>,
    },
    /// `avg(score) per region`, `avg(score) overall`, `rank(score desc)
    /// per region`: an aggregate (or a rank) over a group of the rows the
    /// clause reads, given to each row of the group — not a grouping.
    Window {
        /// The aggregate call or `rank(…)`.
        func: Box<Expr>,
        /// Which rows it reads.
        over: Over,
    },
}

/// The rows a [`ExprKind::Window`] reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Over {
    /// `per <operand>`: the rows with the row's value of the key.
    Per {
        /// The word `per`.
        keyword: Span,
        /// The key, e.g. `region`.
        key: Box<Expr>,
    },
    /// `overall`: every row the clause reads.
    Overall(Span),
}

/// The arithmetic operators: `*` and `/` bind tighter than `+` and `-`,
/// and all four tighter than comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`: always a decimal; by zero it is null, with a warning.
    Div,
}

impl ArithOp {
    /// The operator's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}

/// `any`, `every` or `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Quantifier {
    /// True when some graded area passes the test.
    Any,
    /// True when the inspection has graded areas and all pass the test.
    Every,
    /// The number of graded areas that pass the test.
    Count,
}

/// Binary operators. Word comparisons are spelt as their symbol:
/// `is` → `=`, `is not` → `!=`, `at least` → `>=`, `at most` → `<=`,
/// `better than` → `>`, `worse than` → `<`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinOp {
    /// `and`
    And,
    /// `or`
    Or,
    /// `=`, `is`
    Eq,
    /// `!=`, `<>`, `is not`
    Ne,
    /// `<`, `worse than`
    Lt,
    /// `<=`, `at most`
    Le,
    /// `>`, `better than`
    Gt,
    /// `>=`, `at least`
    Ge,
    /// `~`: case-insensitive "contains".
    Contains,
    /// `!~`: does not contain.
    NotContains,
}

impl BinOp {
    /// The operator's symbol as the pretty-printer writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Contains => "~",
            BinOp::NotContains => "!~",
        }
    }

    /// True for `= != < <= > >=`.
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }
}

/// Literal values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Literal {
    /// `"text"` or `'text'`.
    Str(String),
    /// `42`, `-1`.
    Int(i64),
    /// `3.5`.
    Decimal(f64),
    /// `2024-03-13`, `2024-03`.
    Date(Date),
    /// `outstanding`, `good`, `adequate`, `requires improvement` (also
    /// `requires_improvement`, `ri`), `inadequate`.
    Grade(Grade),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
}
