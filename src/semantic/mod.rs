//! Meaning: the resolved query. Names are looked up against the catalog
//! (forces, programmes, areas, grades, columns, functions, parameters),
//! types are checked, and string literals compared with typed columns are
//! turned into what they name (`force = "cambs"` compares with
//! "Cambridgeshire Constabulary").
//!
//! - [`columns`]: the columns of each source;
//! - [`resolve`]: AST → [`Resolved`] (with `calls.rs` for functions,
//!   `compare.rs` for comparisons and coercions, `forces.rs` for force
//!   names, `order.rs` for `order by` and `limit`, and `lint.rs` for what
//!   is legal but suspicious: the [`Warning`]s and [`Watch`]es);
//! - [`sources`]: the rows of each source over a programme scope;
//! - `window.rs`: `per`, `overall` and `rank()`, values over the rows of a stage.

mod arith;
mod as_of;
mod calls;
pub mod columns;
mod compare;
mod forces;
pub mod kinds;
mod lint;
mod order;
mod params;
pub mod resolve;
pub mod sources;
mod stages;
mod subquery;
mod window;

use crate::catalog::lookup::AreaMatch;
use crate::catalog::{AreaId, ForceId, ProgrammeId};
use crate::dataset::{GradeId, InspectionId};
use crate::rows::Rows;
use crate::syntax::{ArithOp, BinOp, Quantifier, Span};
use crate::value::Value;
use crate::warning::Warning;
pub use columns::Col;
pub use resolve::{Bindings, Params, resolve_query};
use std::sync::Arc;

/// The six sources a query can start from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// One row per force (its inspection in the chosen programme).
    Forces,
    /// One row per force × programme inspection.
    Inspections,
    /// One row per force × programme × area grade.
    Grades,
    /// One row per area × programme.
    Areas,
    /// One row per programme.
    Programmes,
    /// One row per move of a force into or out of Engage.
    Monitoring,
}

impl SourceKind {
    /// Every source.
    pub const ALL: [SourceKind; 6] = [
        SourceKind::Forces,
        SourceKind::Inspections,
        SourceKind::Grades,
        SourceKind::Areas,
        SourceKind::Programmes,
        SourceKind::Monitoring,
    ];

    /// The source's name in queries.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Forces => "forces",
            SourceKind::Inspections => "inspections",
            SourceKind::Grades => "grades",
            SourceKind::Areas => "areas",
            SourceKind::Programmes => "programmes",
            SourceKind::Monitoring => "monitoring",
        }
    }

    /// One line on what a row is.
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::Forces => {
                "one row per force, with the grades of its inspection in the chosen programme"
            }
            SourceKind::Inspections => "one row per force and programme that has an inspection on record",
            SourceKind::Grades => "one row per graded area of each inspection",
            SourceKind::Areas => "one row per area that a programme grades",
            SourceKind::Programmes => "one row per PEEL programme (inspection cycle)",
            SourceKind::Monitoring => {
                "one row per move of a force into or out of Engage, HMICFRS's enhanced monitoring"
            }
        }
    }

    /// The source named `name` (any case).
    pub fn from_name(name: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|s| s.name().eq_ignore_ascii_case(name))
    }

    /// True when a row has an inspection (so `area()`, `score`, `any area`
    /// and `previous()` apply).
    pub fn has_inspection(self) -> bool {
        matches!(self, SourceKind::Forces | SourceKind::Inspections | SourceKind::Grades)
    }
}

/// Which programme(s) a query covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Each force's latest graded programme (for forces, inspections and
    /// grades) or the newest programme (for areas).
    Latest,
    /// Every programme.
    All,
    /// One programme.
    One(ProgrammeId),
}

/// A row of a source: what expressions are evaluated against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RowRef {
    /// A force, with its inspection in scope if it has one.
    Force {
        /// The force.
        force: ForceId,
        /// Its inspection in the programme in scope.
        inspection: Option<InspectionId>,
        /// Which of the query's `as of` dates the row answers for (0 when
        /// it has one or none).
        at: u16,
    },
    /// Move `n` into or out of Engage ([`crate::dataset::Monitoring::get`]).
    Move(u32),
    /// One grade row.
    Grade(GradeId),
    /// One area.
    Area(AreaId),
    /// One programme.
    Programme(ProgrammeId),
    /// Row `n` of a table bound by `let`.
    Derived(usize),
}

/// A resolved expression.
#[derive(Clone, Debug, PartialEq)]
pub enum RExpr {
    /// A constant.
    Const(Value),
    /// A column of the row's source.
    Col(Col),
    /// Column `n` of a table bound by `let`.
    DerivedCol(usize),
    /// An `engage…` column or `as_of`, as of the query's `as of` dates
    /// (picked by the row's `at`); `None`: as of the record's end.
    Engage(Col, Option<Arc<Vec<RExpr>>>),
    /// `area("…")`: the grade of the matched area in the row's inspection.
    AreaGrade(Arc<AreaMatch>),
    /// `area("…")` as a condition on a grade row: the row's area is it.
    AreaIs(Arc<AreaMatch>),
    /// `area` inside a quantifier: each graded area's grade in turn.
    EachArea,
    /// `any area …`, `every area …`, `count(area …)`.
    Quant(Quantifier, Box<RExpr>),
    /// `previous(…)`.
    Previous(Prev),
    /// `change(…)`: steps up (positive) or down since the previous programme.
    Change(Prev),
    /// `year(date)`.
    Year(Box<RExpr>),
    /// `not`.
    Not(Box<RExpr>),
    /// `and`.
    And(Box<RExpr>, Box<RExpr>),
    /// `or`.
    Or(Box<RExpr>, Box<RExpr>),
    /// A comparison (including `~` and `!~`).
    Cmp(BinOp, Box<RExpr>, Box<RExpr>),
    /// `x in (…)`.
    InList(Box<RExpr>, Vec<RExpr>, bool),
    /// `x is [not] null`.
    IsNull(Box<RExpr>, bool),
    /// `a + b`, `a - b`, `a * b`, `a / b` (the span is the operator's, for
    /// the division-by-zero warning).
    Arith(ArithOp, Box<RExpr>, Box<RExpr>, Span),
    /// `- x`.
    Neg(Box<RExpr>),
    /// `round(x, n)`: `x` to `n` decimal places (a whole number when `n` is 0).
    Round(Box<RExpr>, u8),
    /// The value of aggregate slot `n` (grouped output only).
    Agg(usize),
    /// The value of group key `n` (grouped output only).
    GroupKey(usize),
    /// The value of window `n` of the stage for the row (see [`Window`]).
    Window(usize),
}

/// `avg(score) per region`, `avg(score) overall`, `rank(score desc)`: a
/// value computed over a group of the rows of the stage — all of them,
/// before its `where` — and given to each row of the group, so the same
/// window means the same in every clause.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// What is computed.
    pub func: WindowFunc,
    /// `per <key>`: the rows with the row's value of the key (none: all).
    pub per: Option<RExpr>,
    /// True for a window written in `where` (one in `select` or `order by`
    /// of a stage that groups is an error).
    pub in_where: bool,
    /// Where it was written.
    pub span: Span,
    /// The type of its value.
    pub ty: columns::Ty,
}

/// What a [`Window`] computes.
#[derive(Clone, Debug, PartialEq)]
pub enum WindowFunc {
    /// An aggregate over the group.
    Agg(Aggregate),
    /// `rank(…)`: the row's place in the group sorted by the keys (`true`:
    /// descending), ties sharing a place; null when a key is null.
    Rank(Vec<(RExpr, bool)>),
}

/// What `previous()` and `change()` look back at.
#[derive(Clone, Debug, PartialEq)]
pub enum Prev {
    /// `previous(area("…"))`: the same theme in the previous programme.
    Area(Arc<AreaMatch>),
    /// `previous(grade)` on a grade row.
    RowGrade,
    /// `previous(score)`: the force's previous graded inspection's score.
    Score,
}

/// Aggregate functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggFunc {
    /// `count()`: rows in the group.
    CountRows,
    /// `count(e)`: rows where `e` is true (conditions) or not null (values).
    Count,
    /// `sum(e)`: adds numbers.
    Sum,
    /// `min(e)`.
    Min,
    /// `max(e)`.
    Max,
    /// `avg(e)`: grades average as 1–5.
    Avg,
    /// `percent(c)`: of the rows where `c` is known (not null), the
    /// percentage where it is true, to one decimal place.
    Percent,
}

/// One aggregate computed per group.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregate {
    /// Which function.
    pub func: AggFunc,
    /// Its argument (none for `count()`).
    pub arg: Option<RExpr>,
}

/// One output column.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputColumn {
    /// Header.
    pub name: String,
    /// Value per row (or per group).
    pub expr: RExpr,
}

/// How the output columns are chosen.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Given by `select`, or fixed defaults.
    Columns(Vec<OutputColumn>),
    /// The `forces` default: name, region, programme and a column per area
    /// of the programmes in the result — known only once rows are found.
    ForcesDefault,
}

/// An `order by` key.
#[derive(Clone, Debug, PartialEq)]
pub enum OrderKey {
    /// An output column, by position.
    Output(usize),
    /// An expression over the row (ungrouped queries only).
    Expr(RExpr),
}

/// A table made by a `let` query with `select` or `group by`: its rows, and
/// for each column the source column it came from, if any — so
/// `t where name = "cambs"` still resolves "cambs" as a force.
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    /// The rows.
    pub rows: Rows,
    /// Per column, the source column its values came from.
    pub origins: Vec<Option<Col>>,
}

/// Where a query's rows come from.
#[derive(Clone, Debug)]
pub enum RowSource {
    /// A source over a programme scope.
    Source(SourceKind, Scope),
    /// The rows of a `let` query that kept its source's rows.
    Rows(SourceKind, Scope, Arc<Vec<RowRef>>),
    /// A table made by a `let` query with `select` or `group by`.
    Table(Arc<Derived>),
}

impl RowSource {
    /// The source kind, unless it is a derived table.
    pub fn kind(&self) -> Option<SourceKind> {
        match self {
            RowSource::Source(k, _) | RowSource::Rows(k, _, _) => Some(*k),
            RowSource::Table(_) => None,
        }
    }

    /// The programme scope, unless it is a derived table.
    pub fn scope(&self) -> Option<&Scope> {
        match self {
            RowSource::Source(_, s) | RowSource::Rows(_, s, _) => Some(s),
            RowSource::Table(_) => None,
        }
    }
}

/// A query (or one stage of it) with every name resolved, ready to plan
/// and run.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// Where rows come from.
    pub from: RowSource,
    /// `where`.
    pub filter: Option<RExpr>,
    /// `group by` keys.
    pub group_by: Vec<RExpr>,
    /// True when the output is aggregated (group by, or aggregates alone).
    pub grouped: bool,
    /// Aggregates referenced by [`RExpr::Agg`].
    pub aggregates: Vec<Aggregate>,
    /// Output columns.
    pub output: Output,
    /// `order by` keys with `desc`.
    pub order: Vec<(OrderKey, bool)>,
    /// `limit`.
    pub limit: Option<usize>,
    /// `select distinct`: each output row once (the first met), before
    /// `order by` and `limit`.
    pub distinct: bool,
    /// The windows referenced by [`RExpr::Window`], in the order they are
    /// computed, over the stage's rows before `where`.
    pub windows: Vec<Window>,
    /// True when the rows are the source's own rows (no select, no group):
    /// a `let` of such a query can be queried further with every column.
    pub keeps_rows: bool,
    /// How each name resolved, for `explain`.
    pub notes: Vec<String>,
    /// The programmes in scope, oldest first.
    pub programmes: Vec<ProgrammeId>,
    /// What resolving found legal but suspicious, in the order of their
    /// spans; the run adds what the [`Watch`]es find.
    pub warnings: Vec<Warning>,
    /// What to check while the query runs, for warnings only the rows can
    /// tell.
    pub watches: Vec<Watch>,
    /// The query's `as of` dates, resolved (`None`: as of the record's
    /// end). With more than one, each force row is repeated for each date.
    pub as_of: Option<Arc<Vec<RExpr>>>,
    /// True when pictures will draw the rows: each `area("…")` column of
    /// a `forces` result is followed by hidden columns saying how its grade
    /// is known (see [`crate::rows::HIDDEN_MARK`]). Set by the session.
    pub cell_facts: bool,
    /// True when pictures will draw the rows of a police `forces` or
    /// `grades` result: each row gets hidden columns saying whether its
    /// force is in Engage, since when and as of what date (see
    /// [`crate::rows::ENGAGE_FACTS`]), as the query's `engage` columns
    /// would. Set by the session.
    pub engage_facts: bool,
    /// The stages after this one (`then …`), in order, each reading the
    /// rows the one before it made (its `from` is a table with the right
    /// columns and no rows, filled when the query runs). Empty for a
    /// stage itself.
    pub then: Vec<Resolved>,
}

/// A check made while a query runs, which may give a [`Warning`]. (A
/// division by zero is found by evaluation itself: see `exec::arith`.)
#[derive(Clone, Debug, PartialEq)]
pub enum Watch {
    /// `every area …` (written at `span`, resolved as `test`) is true of an
    /// inspection of the result whose grades may not all be on record.
    EveryOnIncomplete {
        /// The quantified test, from `every` to its end.
        span: Span,
        /// Its resolved form, evaluated per row.
        test: RExpr,
    },
}
