//! The engine: a data set in memory (loaded from a store or the bundled
//! data), and sessions that run statements against it.

use crate::catalog::files::DataFiles;
use crate::catalog::model::Tables;
use crate::dataset::Dataset;
use crate::error::{Error, ErrorKind, Result};
use crate::exec::{self, plan};
use crate::rows::Rows;
use crate::semantic::resolve::{Binding, Bindings, Params, resolve_query};
use crate::semantic::{Resolved, RowSource, Scope, SourceKind, columns};
use crate::store::{Bundle, SledStore, Store};
use crate::suggest::{did_you_mean, suggest};
use crate::syntax::{self, Ident, ProgrammeRef, Statement, StatementKind};
use crate::value::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A PeelQL engine: the data set in memory, optionally backed by a store.
///
/// Queries never go back to the store: everything is loaded when the engine
/// opens. An `Engine` can be shared between threads.
pub struct Engine {
    data: Arc<Dataset>,
    store: Option<Box<dyn Store>>,
}

/// What one statement produced.
#[derive(Clone, Debug, PartialEq)]
pub enum StatementOutput {
    /// Rows of a query or `show`.
    Rows(Rows),
    /// The text of `explain`.
    Text(String),
    /// `let name = …` bound `rows` rows.
    Bound {
        /// The name.
        name: String,
        /// How many rows it holds.
        rows: usize,
    },
}

impl Engine {
    /// The bundled data set in memory, with no store on disk.
    pub fn in_memory() -> Result<Engine> {
        Ok(Engine::from_dataset(Dataset::bundled()?))
    }

    /// An engine over a data set already built.
    pub fn from_dataset(data: Dataset) -> Engine {
        Engine { data: Arc::new(data), store: None }
    }

    /// An engine over a directory of data files (the layout of `data/`).
    pub fn from_dir(dir: &Path) -> Result<Engine> {
        Ok(Engine::from_dataset(Dataset::build(DataFiles::from_dir(dir)?.to_tables()?)?))
    }

    /// Opens (or creates) the sled store at `path`. A new store is filled
    /// with the bundled data set.
    pub fn open(path: &Path) -> Result<Engine> {
        let files = DataFiles::bundled();
        let fingerprint = files.fingerprint();
        let load = || files.to_tables();
        let bundle = Bundle { fingerprint: &fingerprint, tables: &load };
        let store = SledStore::open(path, &bundle)?;
        let data = store.load_dataset()?;
        Ok(Engine { data: Arc::new(data), store: Some(Box::new(store)) })
    }

    /// The default store's path: `peelql/store` in the user's data directory.
    pub fn default_path() -> Result<PathBuf> {
        directories::ProjectDirs::from("", "", "peelql")
            .map(|d| d.data_dir().join("store"))
            .ok_or_else(|| Error::store("peelql::store::no_home", "cannot find a data directory for the store (no home directory?); use --db PATH or --memory"))
    }

    /// The data set queries run over.
    pub fn dataset(&self) -> &Dataset {
        &self.data
    }

    /// The records behind the data set.
    pub fn tables(&self) -> &Tables {
        self.data.tables()
    }

    /// Where the data lives, in words.
    pub fn describe(&self) -> String {
        self.store.as_ref().map_or_else(|| "bundled data in memory".to_string(), |s| s.describe())
    }

    /// A session: statements run in it share `let` names.
    pub fn session(&self) -> Session<'_> {
        Session { engine: self, bindings: Bindings::default() }
    }

    /// Runs one query and returns its rows. Errors carry the query text.
    pub fn query(&self, src: &str) -> Result<Rows> {
        self.query_with(src, &Params::default())
    }

    /// Runs one query with parameters.
    pub fn query_with(&self, src: &str, params: &Params) -> Result<Rows> {
        self.prepare(src)?.run(params)
    }

    /// Parses a statement once, to run many times with different
    /// parameters. Parameters are bound as values, never spliced into the
    /// text.
    ///
    /// ```
    /// # fn main() -> peelql::Result<()> {
    /// use peelql::{Engine, Grade, Params};
    /// let engine = Engine::in_memory()?;
    /// let q = engine.prepare(r#"forces where area("responding") = $g select name"#)?;
    /// let worst = q.run(&Params::new().with("g", Grade::Inadequate))?;
    /// let best = q.run(&Params::new().with("g", Grade::Outstanding))?;
    /// assert!(worst.len() > best.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn prepare(&self, src: &str) -> Result<Query<'_>> {
        let stmt = syntax::parse_statement(src).map_err(|e| e.with_source("query", src))?;
        Ok(Query { engine: self, src: src.to_string(), stmt })
    }
}

/// A statement parsed once by [`Engine::prepare`], run with [`Query::run`].
#[derive(Clone)]
pub struct Query<'e> {
    engine: &'e Engine,
    src: String,
    stmt: Statement,
}

impl Query<'_> {
    /// The query text.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// Runs the statement with `params` bound. `explain` gives one `plan`
    /// column of text lines; `let` gives its name and row count.
    pub fn run(&self, params: &Params) -> Result<Rows> {
        let src = self.src.as_str();
        match self.engine.session().run(src, &self.stmt, params).map_err(|e| e.with_source("query", src))? {
            StatementOutput::Rows(rows) => Ok(rows),
            StatementOutput::Text(text) => Ok(Rows::new(
                vec!["plan".into()],
                text.lines().map(|l| vec![Value::Text(l.into())]).collect(),
            )),
            StatementOutput::Bound { name, rows } => Ok(Rows::new(
                vec!["name".into(), "rows".into()],
                vec![vec![Value::Text(name), Value::Int(rows as i64)]],
            )),
        }
    }
}

/// A sequence of statements sharing `let` names.
pub struct Session<'e> {
    engine: &'e Engine,
    bindings: Bindings,
}

impl Session<'_> {
    /// Parses and runs a script statement by statement, calling `each` with
    /// every output. Stops at the first statement that fails (later ones do
    /// not run) and returns its error, with spans relative to `src`.
    pub fn run_script(
        &mut self,
        src: &str,
        params: &Params,
        mut each: impl FnMut(&Statement, StatementOutput),
    ) -> Result<()> {
        for piece in syntax::parser::split_statements(src) {
            let Some(stmt) = syntax::parser::parse_statement_at(src, piece)? else { continue };
            let out = self.run(src, &stmt, params)?;
            each(&stmt, out);
        }
        Ok(())
    }

    /// Runs one parsed statement; `src` is the text its spans point into.
    pub fn run(&mut self, src: &str, stmt: &Statement, params: &Params) -> Result<StatementOutput> {
        let ds = &self.engine.data;
        match &stmt.kind {
            StatementKind::Query(q) => {
                let r = resolve_query(ds, src, q, params, &self.bindings)?;
                Ok(StatementOutput::Rows(exec::run(ds, &r).rows))
            }
            StatementKind::Let { name, query } => {
                if SourceKind::from_name(&name.name).is_some() {
                    return Err(Error::new(
                        ErrorKind::Resolve,
                        "peelql::resolve::reserved_name",
                        format!("`{}` is a source; a `let` needs another name", name.name),
                    )
                    .with_span(name.span, "already a source"));
                }
                let r = resolve_query(ds, src, query, params, &self.bindings)?;
                let out = exec::run(ds, &r);
                let rows = out.rows.len();
                let from = match (out.refs, r.from.kind(), r.from.scope()) {
                    (Some(refs), Some(kind), Some(scope)) => {
                        RowSource::Rows(kind, scope.clone(), Arc::new(refs))
                    }
                    _ => RowSource::Table(Arc::new(out.rows)),
                };
                let binding = Binding { from, programmes: r.programmes.clone() };
                self.bindings.0.insert(name.key(), Arc::new(binding));
                Ok(StatementOutput::Bound { name: name.name.clone(), rows })
            }
            StatementKind::Explain(q) => {
                let r = resolve_query(ds, src, q, params, &self.bindings)?;
                Ok(StatementOutput::Text(explain(ds, src, q, &r)))
            }
            StatementKind::Show { what, of, programme } => {
                show(ds, what, of.as_ref(), programme.as_ref(), params, &self.bindings)
            }
        }
    }

    /// The names bound by `let` so far.
    pub fn bound_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.bindings.0.keys().cloned().collect();
        v.sort();
        v
    }
}

/// The text of `explain`: how names resolved and how the query runs.
fn explain(ds: &Dataset, src: &str, q: &syntax::Query, r: &Resolved) -> String {
    let cat = &ds.catalog;
    let mut out = String::new();
    let programmes: Vec<&str> = r.programmes.iter().map(|p| cat.programme(*p).name.as_str()).collect();
    let source = match &r.from {
        RowSource::Source(kind, scope) => {
            let scope = match scope {
                Scope::Latest if kind.has_inspection() => {
                    format!("each force's latest graded programme ({})", programmes.join(", "))
                }
                Scope::Latest => format!("the latest programme ({})", programmes.join(", ")),
                Scope::All => "every programme".to_string(),
                Scope::One(p) => cat.programme(*p).name.clone(),
            };
            format!("{} in {scope}", kind.name())
        }
        RowSource::Rows(kind, _, rows) => {
            format!("`{}`: {} rows of {} kept by `let`", q.source.name, rows.len(), kind.name())
        }
        RowSource::Table(t) => format!("`{}`: a table of {} rows made by `let`", q.source.name, t.rows.len()),
    };
    out.push_str(&format!("source: {source}\n"));
    if !r.notes.is_empty() {
        out.push_str("names:\n");
        for n in &r.notes {
            out.push_str(&format!("  {n}\n"));
        }
    }
    let p = plan::plan(r);
    let mut steps = vec![plan::describe(ds, r, &p)];
    let text =
        |span: syntax::Span| span.text(src).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(f) = &q.filter {
        steps.push(format!("filter: {}", text(f.body.span)));
    }
    if let Some(g) = &q.group_by {
        steps.push(format!(
            "group by: {}",
            g.body.iter().map(|e| text(e.span)).collect::<Vec<_>>().join(", ")
        ));
    }
    match &q.select {
        Some(s) => steps
            .push(format!("select: {}", s.body.iter().map(|i| text(i.span)).collect::<Vec<_>>().join(", "))),
        None => steps.push("select: the default columns".to_string()),
    }
    if let Some(o) = &q.order_by {
        steps.push(format!(
            "order by: {}",
            o.body.iter().map(|i| text(i.span)).collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(n) = r.limit {
        steps.push(format!("limit: {n}"));
    }
    out.push_str("plan:\n");
    for (i, s) in steps.iter().enumerate() {
        out.push_str(&format!("  {}. {s}\n", i + 1));
    }
    out
}

const SHOW_TOPICS: &[&str] = &["forces", "areas", "programmes", "themes", "sources", "columns"];

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn show(
    ds: &Dataset,
    what: &Ident,
    of: Option<&Ident>,
    programme: Option<&ProgrammeRef>,
    params: &Params,
    bindings: &Bindings,
) -> Result<StatementOutput> {
    let cat = &ds.catalog;
    let rows = |cols: &[&str], rows: Vec<Vec<Value>>| {
        Ok(StatementOutput::Rows(Rows::new(cols.iter().map(|c| c.to_string()).collect(), rows)))
    };
    let key = what.key();
    if let (Some(p), false) = (programme, key == "areas") {
        return Err(Error::new(
            ErrorKind::Parse,
            "peelql::parse::expected",
            format!("`show {key}` does not take a programme"),
        )
        .with_span(p.span, "only `show areas` takes `in …`")
        .with_help(format!("for one programme's rows, query a source instead, e.g. `{key} in peel 2021`")));
    }
    if key != "areas" && key != "columns" {
        if let Some(o) = of {
            return Err(Error::new(
                ErrorKind::Parse,
                "peelql::parse::expected",
                format!("`show {key}` takes nothing after it"),
            )
            .with_span(o.span, "unexpected"));
        }
    }
    match key.as_str() {
        "forces" => rows(
            &["name", "short", "aliases", "region", "country"],
            cat.forces
                .iter()
                .map(|f| {
                    vec![
                        text(&f.name),
                        text(&f.short_name),
                        text(f.aliases.join(", ")),
                        text(&f.region),
                        text(&f.country),
                    ]
                })
                .collect(),
        ),
        "programmes" | "programs" => rows(
            &["name", "years", "scale", "aliases"],
            cat.programmes
                .iter()
                .map(|p| {
                    vec![text(&p.name), text(p.years()), text(p.scale.name()), text(p.aliases.join(", "))]
                })
                .collect(),
        ),
        "themes" => rows(
            &["theme", "name", "aliases", "programmes"],
            cat.themes
                .iter()
                .map(|t| {
                    let ps: Vec<&str> =
                        t.areas.iter().map(|a| cat.programme(cat.area(*a).programme).name.as_str()).collect();
                    vec![text(&t.key), text(&t.name), text(t.aliases.join(", ")), text(ps.join(", "))]
                })
                .collect(),
        ),
        "areas" => {
            // `show areas in peel 2021` or `show areas peel` are both accepted as "in"
            let q = syntax::Query {
                source: Ident::new("areas", what.span),
                programme: programme.cloned(),
                filter: None,
                group_by: None,
                select: None,
                order_by: None,
                limit: None,
                span: what.span,
            };
            let r = resolve_query(ds, "", &q, params, bindings)?;
            let refs = exec::run(ds, &r).refs.unwrap_or_default();
            rows(
                &["programme", "name", "theme", "aliases", "graded"],
                refs.into_iter()
                    .filter_map(|row| match row {
                        crate::semantic::RowRef::Area(a) => Some(a),
                        _ => None,
                    })
                    .map(|a| {
                        let area = cat.area(a);
                        let t = cat.theme(area.theme);
                        let graded =
                            ds.grades_of_area(a).iter().filter(|g| ds.grade(**g).grade.is_some()).count();
                        vec![
                            text(&cat.programme(area.programme).name),
                            text(&area.name),
                            text(&t.key),
                            text(t.aliases.join(", ")),
                            Value::Int(graded as i64),
                        ]
                    })
                    .collect(),
            )
        }
        "sources" => rows(
            &["source", "rows", "columns"],
            SourceKind::ALL
                .iter()
                .map(|s| {
                    let cols: Vec<&str> = columns::of(*s).iter().map(|c| c.names[0]).collect();
                    vec![text(s.name()), text(s.describe()), text(cols.join(", "))]
                })
                .collect(),
        ),
        "columns" => {
            let Some(source) = of else {
                return Err(Error::new(
                    ErrorKind::Parse,
                    "peelql::parse::expected",
                    "`show columns` needs a source",
                )
                .with_span(what.span, "columns of which source?")
                .with_help("for example `show columns grades`"));
            };
            let Some(kind) = SourceKind::from_name(&source.name) else {
                let names: Vec<&str> = SourceKind::ALL.iter().map(|s| s.name()).collect();
                return Err(Error::new(
                    ErrorKind::Resolve,
                    "peelql::resolve::unknown_source",
                    format!("there is no source called `{}`", source.name),
                )
                .with_span(source.span, "unknown source")
                .with_help(
                    did_you_mean(&suggest(&source.name, names.iter().copied()))
                        .unwrap_or_else(|| format!("the sources are: {}", names.join(", "))),
                ));
            };
            let mut seen = Vec::new();
            let list = columns::of(kind)
                .into_iter()
                .filter(|c| {
                    let fresh = !seen.contains(&c.names[0]);
                    seen.push(c.names[0]);
                    fresh
                })
                .map(|c| {
                    let ty = match c.ty {
                        columns::Ty::Text => "text",
                        columns::Ty::Number => "number",
                        columns::Ty::Date => "date",
                        columns::Ty::Grade => "grade",
                        columns::Ty::Bool => "boolean",
                        columns::Ty::Any => "any",
                    };
                    vec![text(c.names.join(", ")), text(ty), text(c.doc)]
                })
                .collect();
            rows(&["column", "type", "meaning"], list)
        }
        _ => {
            let help = did_you_mean(&suggest(&what.name, SHOW_TOPICS.iter().copied()))
                .unwrap_or_else(|| format!("`show` lists one of: {}", SHOW_TOPICS.join(", ")));
            Err(Error::new(
                ErrorKind::Resolve,
                "peelql::resolve::unknown_topic",
                format!("cannot show `{}`", what.name),
            )
            .with_span(what.span, "unknown topic")
            .with_help(help))
        }
    }
}
