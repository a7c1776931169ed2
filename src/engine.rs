//! The engine: a data set in memory (loaded from a store or the bundled
//! data), and sessions that run statements against it.

use crate::catalog::files::DataFiles;
use crate::catalog::model::Tables;
use crate::dataset::Dataset;
use crate::error::{Error, ErrorKind, Result};
use crate::exec;
use crate::export::{ExportFormat, export};
use crate::import::{self, ImportOptions, ImportProgress, ImportSource, ImportSummary};
use crate::rows::Rows;
use crate::semantic::resolve::{Binding, Bindings, Params, resolve_query};
use crate::semantic::{Derived, Resolved, RowSource, SourceKind, columns};
use crate::store::{Bundle, SledStore, snapshot};
use crate::suggest::did_you_mean_or_list;
use crate::syntax::{self, Ident, ProgrammeRef, Statement, StatementKind};
use crate::value::Value;
use crate::warning::Warning;
use explain::explain;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

mod explain;
mod fire_show;
mod history_show;

/// A PeelQL engine: the data set in memory, optionally backed by a store.
///
/// Queries never go back to the store: an engine over a store answers
/// from its last committed data set (the snapshot beside sled, read as
/// queries need it), and takes sled's lock only while it imports, so any
/// number of engines, in any processes, can read a store while one of
/// them writes. An `Engine` can be shared between threads. An import
/// builds a whole new data set beside the current one, writes it to the
/// store, and only then swaps it in: a query (or a [`Session`]) keeps the
/// data set it started with, so it never sees half an import.
pub struct Engine {
    /// Where the data lives, when that is not what the store says.
    described: Option<String>,
    /// The current data set; replaced whole by an import.
    data: RwLock<Arc<Dataset>>,
    /// The sled store imports write to, opened only while one does.
    store: Option<PathBuf>,
    /// Held by an import from its check to its swap, so two imports never
    /// both start from the same data and lose one's rows.
    writer: Mutex<()>,
}

/// The most `let` names one session holds: each keeps its rows, so a
/// long-running session (a `--json-lines` server) cannot grow without
/// bound. Binding a name again replaces (and frees) its rows.
pub const MAX_LETS: usize = 1000;

/// What one statement produced.
#[derive(Clone, Debug, PartialEq)]
pub enum StatementOutput {
    /// Rows of a query or `show`, with the query's warnings on them.
    Rows(Rows),
    /// The text of `explain` (which lists the warnings resolving found).
    Text(String),
    /// `let name = …` bound `rows` rows.
    Bound {
        /// The name.
        name: String,
        /// How many rows it holds.
        rows: usize,
        /// The warnings of the `let` query.
        warnings: Vec<Warning>,
    },
}

impl StatementOutput {
    /// The output as rows, as [`Query::run`] gives it: `explain` as one
    /// `plan` column of text lines, `let` as its name and row count (with
    /// the `let`'s warnings).
    pub fn into_rows(self) -> Rows {
        match self {
            StatementOutput::Rows(rows) => rows,
            StatementOutput::Text(text) => {
                Rows::new(vec!["plan".into()], text.lines().map(|l| vec![Value::Text(l.into())]).collect())
            }
            StatementOutput::Bound { name, rows, warnings } => {
                let mut out = Rows::new(
                    vec!["name".into(), "rows".into()],
                    vec![vec![Value::Text(name), Value::Int(rows as i64)]],
                );
                out.warnings = warnings;
                out
            }
        }
    }

    /// The warnings of the statement: what it did is legal but may not be
    /// what was meant (see [`Warning`]). Spans point into the text the
    /// statement was run from. None for `explain` and `show`.
    ///
    /// ```
    /// # fn main() -> peelql::Result<()> {
    /// let engine = peelql::Engine::in_memory()?;
    /// let mut codes = Vec::new();
    /// engine.session().run_script(
    ///     r#"let w = forces where 1 = 1; w select name limit 1"#,
    ///     &peelql::Params::new(),
    ///     |_, out| codes.extend(out.warnings().iter().map(|w| w.code.clone())),
    /// )?;
    /// assert_eq!(codes, ["peelql::warning::constant_comparison"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn warnings(&self) -> &[Warning] {
        match self {
            StatementOutput::Rows(rows) => &rows.warnings,
            StatementOutput::Bound { warnings, .. } => warnings,
            StatementOutput::Text(_) => &[],
        }
    }
}

impl Engine {
    /// The bundled data set in memory, with no store on disk.
    pub fn in_memory() -> Result<Engine> {
        Ok(Engine::from_dataset(Dataset::bundled()?))
    }

    /// An engine over a data set already built.
    pub fn from_dataset(data: Dataset) -> Engine {
        Engine::with_store(data, None)
    }

    fn with_store(data: Dataset, store: Option<PathBuf>) -> Engine {
        Engine { described: None, data: RwLock::new(Arc::new(data)), store, writer: Mutex::new(()) }
    }

    /// An engine over a directory of data files (the layout of `data/`).
    pub fn from_dir(dir: &Path) -> Result<Engine> {
        Ok(Engine::from_dataset(Dataset::build(DataFiles::from_dir(dir)?.to_tables()?)?))
    }

    /// Opens (or creates) the sled store at `path`. A new store is filled
    /// with the bundled data set. The engine answers from the store's last
    /// committed data, read from its snapshot without sled's lock (so it
    /// opens while another process imports); it takes the lock only to
    /// import.
    pub fn open(path: &Path) -> Result<Engine> {
        let data = with_bundle(|bundle| snapshot::read_committed(path, bundle))?;
        Ok(Engine::with_store(data, Some(path.to_path_buf())))
    }

    /// Opens the store at `path` for queries only. While the store holds
    /// exactly the bundled data of this build (as it does until the first
    /// import), the answers come from the bundled data in memory and sled is
    /// not opened at all: a one-shot query starts as fast as `--memory`.
    /// Otherwise this is [`Engine::open`]. Use [`Engine::open`] to import.
    pub fn open_for_queries(path: &Path) -> Result<Engine> {
        if crate::store::bundled_marker(path).is_some_and(|f| f == DataFiles::bundled_fingerprint()) {
            let mut engine = Engine::in_memory()?;
            engine.described =
                Some(format!("the store at {} (the bundled data, read from memory)", path.display()));
            engine.store = Some(path.to_path_buf());
            return Ok(engine);
        }
        Engine::open(path)
    }

    /// The default store's path: `peelql/store` in the user's data directory.
    pub fn default_path() -> Result<PathBuf> {
        directories::ProjectDirs::from("", "", "peelql")
            .map(|d| d.data_dir().join("store"))
            .ok_or_else(|| Error::store("peelql::store::no_home", "cannot find a data directory for the store (no home directory?); use --db PATH or --memory"))
    }

    /// The data set queries run over now. An import does not change it:
    /// it swaps in another, which a later call returns.
    pub fn dataset(&self) -> Arc<Dataset> {
        // The guarded value is an `Arc`, replaced in one assignment: a panic
        // elsewhere cannot have left it half-written.
        Arc::clone(&self.data.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// A copy of the records behind the data set.
    pub fn tables(&self) -> Tables {
        self.dataset().tables().clone()
    }

    /// True when the engine writes imports to a store; false for an engine
    /// over data in memory, whose imports last as long as the engine.
    pub fn has_store(&self) -> bool {
        self.store.is_some()
    }

    /// The folder of the engine's store; `None` for an engine in memory.
    pub fn store_path(&self) -> Option<&Path> {
        self.store.as_deref()
    }

    /// Refuses to let a file be written at `path` when it lies inside a
    /// store's folder (this engine's, or any folder marked as a PeelQL
    /// store): an export or a saved result written there would damage the
    /// store.
    ///
    /// # Errors
    ///
    /// `peelql::output::inside_store`, naming the store.
    pub fn check_output_path(&self, path: &Path) -> Result<()> {
        match crate::store::store_holding(path, self.store_path()) {
            None => Ok(()),
            Some(store) => Err(Error::new(
                crate::error::ErrorKind::Io,
                "peelql::output::inside_store",
                format!(
                    "{} is inside the store at {}: writing there would damage the store, so nothing was written",
                    path.display(),
                    store.display()
                ),
            )
            .with_help("write the file outside the store's folder")),
        }
    }

    /// Imports a CSV or JSON file of grades (and the programmes, themes and
    /// areas they need): see [`crate::import`] for the format and rules.
    ///
    /// All or nothing. The file is checked whole against the current data
    /// first; any problem fails the import with every problem listed (file,
    /// line, column, text) and nothing written. Otherwise the new data set
    /// is written to the store in one replace — a crash part-way leaves the
    /// old data — and then becomes the engine's. A file that adds or
    /// changes nothing writes nothing. An engine without a store imports
    /// into its memory only.
    ///
    /// ```
    /// # fn main() -> peelql::Result<()> {
    /// use peelql::Engine;
    /// use peelql::import::{ImportFormat, ImportOptions, ImportSource};
    /// let engine = Engine::in_memory()?;
    /// let csv = "force,programme,published,area,grade,source_url,basis\n\
    ///            kent,peel 2023,2025-06,Managing offenders,good,https://example.org/kent,stated\n";
    /// let summary = engine.import(&ImportSource::new("kent.csv", csv, ImportFormat::Csv), &ImportOptions::default())?;
    /// assert_eq!((summary.added, summary.changed, summary.unchanged), (1, 0, 0));
    /// # Ok(())
    /// # }
    /// ```
    pub fn import(&self, source: &ImportSource, options: &ImportOptions) -> Result<ImportSummary> {
        self.import_with_progress(source, options, &mut |_| {})
    }

    /// [`Engine::import`], telling `progress` when the file is checked and
    /// as the store is written.
    pub fn import_with_progress(
        &self,
        source: &ImportSource,
        options: &ImportOptions,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportSummary> {
        self.import_checked(
            &source.name,
            |current| import::check(current, source, options, &import::utc_now()),
            options,
            progress,
        )
    }

    /// [`Engine::import_with_progress`] taking the file: its text is
    /// dropped as soon as it is checked, before the new data set is built
    /// and written, so a large file is not held beside its data set.
    pub fn import_owned(
        &self,
        source: ImportSource,
        options: &ImportOptions,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportSummary> {
        let name = source.name.clone();
        self.import_checked(
            &name,
            // `source` moves into the check and is dropped when it ends
            move |current| import::check(current, &source, options, &import::utc_now()),
            options,
            progress,
        )
    }

    fn import_checked(
        &self,
        name: &str,
        check: impl FnOnce(&Dataset) -> std::result::Result<import::Checked, Vec<crate::catalog::cells::Problem>>,
        options: &ImportOptions,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportSummary> {
        // The guarded value is `()`; the data it protects is swapped whole.
        let _alone = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let (current, store) = match &self.store {
            Some(path) => {
                // sled's lock, for as long as this import runs: another
                // writer waits about a second, then is told the store is in use
                let store = with_bundle(|bundle| SledStore::open(path, bundle))?;
                let mut current = self.dataset();
                if store.generation()? != current.generation() {
                    // another process committed since this engine read the
                    // store: import into what is there now
                    let fresh = Arc::new(store.snapshot_dataset()?);
                    *self.data.write().unwrap_or_else(PoisonError::into_inner) = Arc::clone(&fresh);
                    current = fresh;
                }
                (current, Some(store))
            }
            None => (self.dataset(), None),
        };
        let checked = guard(|| check(&current).map_err(|problems| import::problems_error(name, &problems)))?;
        progress(ImportProgress::Checked { rows: checked.summary().rows });
        if options.dry_run || checked.summary().is_noop() {
            return Ok(checked.summary().clone());
        }
        let (mut summary, dataset) = match &store {
            Some(store) => {
                // written from the checked records, never built in memory
                let summary = guard(|| {
                    checked.write(store, &mut |written, total| {
                        progress(ImportProgress::Writing { written, total })
                    })
                })?;
                // answer from the snapshot just written (read as needed)
                let dataset = match snapshot::open(store.path()) {
                    Ok(committed) if committed.generation() == store.generation()? => committed,
                    _ => guard(|| store.snapshot_dataset())?,
                };
                (summary, dataset)
            }
            None => {
                let plan =
                    guard(|| checked.build().map_err(|problems| import::problems_error(name, &problems)))?;
                (plan.summary, plan.dataset)
            }
        };
        *self.data.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(dataset);
        summary.written = true;
        Ok(summary)
    }

    /// Everything an import can bring, as a file that imports back to the
    /// same data: see [`crate::export`].
    pub fn export(&self, format: ExportFormat) -> Result<String> {
        let data = self.dataset();
        guard(|| export(data.tables(), format))
    }

    /// Where the data lives, in words.
    pub fn describe(&self) -> String {
        if let Some(d) = &self.described {
            return d.clone();
        }
        self.store.as_ref().map_or_else(
            || "bundled data in memory".to_string(),
            |p| format!("sled store at {}", p.display()),
        )
    }

    /// A session: statements run in it share `let` names.
    pub fn session(&self) -> Session<'_> {
        self.session_over(self.dataset())
    }

    /// A session over `data`, a data set this engine had (from
    /// [`Engine::dataset`]) rather than the one it has now: a caller that
    /// keeps a result can run its statement again over the same data, even
    /// after an import swapped in another.
    pub fn session_over(&self, data: Arc<Dataset>) -> Session<'_> {
        Session {
            engine: std::marker::PhantomData,
            data,
            bindings: Bindings::default(),
            fire_bindings: Bindings::default(),
            grid_columns: false,
        }
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
        Ok(self
            .engine
            .session()
            .run(src, &self.stmt, params)
            .map_err(|e| e.with_source("query", src))?
            .into_rows())
    }

    /// The parsed statement.
    pub fn statement(&self) -> &Statement {
        &self.stmt
    }
}

/// A sequence of statements sharing `let` names, over the data set the
/// engine had when the session started (an import during the session does
/// not change what it sees: `let` results stay valid).
pub struct Session<'e> {
    engine: std::marker::PhantomData<&'e Engine>,
    data: Arc<Dataset>,
    bindings: Bindings,
    /// The names bound by `let` queries over fire and rescue services: a
    /// query reads one kind, so each kind has its own names.
    fire_bindings: Bindings,
    grid_columns: bool,
}

impl Session<'_> {
    /// Asks for the columns a picture of grades draws on (off by default).
    ///
    /// When on, a query over `grades` that keeps its rows (no `select`, no
    /// `group by`) returns `theme`, `basis` and `source_url` after its
    /// default columns: the grid lines areas up across programmes by theme,
    /// marks grades not stated outright, and links each grade to the page it
    /// was read on. A `forces` query gets hidden columns with its cells'
    /// facts, and both a police `forces` and a `grades` query hidden columns
    /// with each row's force's `engage`, `engage_since` and `as_of` (see
    /// [`crate::rows::ENGAGE_FACTS`]), for the pictures' Engage mark; hidden
    /// columns are left out of every table, CSV and JSON ([`Rows::visible`]).
    /// Other queries are not changed. The `grid`, `html` and `svg` formats
    /// (see [`crate::output::Format::is_picture`]) use it.
    ///
    /// ```
    /// # fn main() -> peelql::Result<()> {
    /// let engine = peelql::Engine::in_memory()?;
    /// let mut session = engine.session();
    /// session.set_grid_columns(true);
    /// let src = r#"grades where force = "cambs""#;
    /// let stmt = peelql::syntax::parse_statement(src)?;
    /// let peelql::StatementOutput::Rows(rows) = session.run(src, &stmt, &peelql::Params::new())? else {
    ///     unreachable!()
    /// };
    /// assert_eq!(rows.visible().columns[5..], ["theme", "basis", "source_url"]);
    /// assert!(rows.row_fact_index("engage").is_some());
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_grid_columns(&mut self, on: bool) {
        self.grid_columns = on;
    }

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
        guard(|| self.run_unguarded(src, stmt, params))
    }

    /// The data set and the `let` names of the kind `q` reads (see
    /// [`crate::semantic::kinds`]).
    fn kind_of(&self, q: &crate::syntax::Query) -> (&Dataset, &Bindings) {
        let fire_names = |key: &str| self.fire_bindings.0.contains_key(key);
        match crate::semantic::kinds::query_kind(q, &fire_names) {
            crate::catalog::Kind::Fire => (&self.data.fire().dataset, &self.fire_bindings),
            crate::catalog::Kind::Police => (&*self.data, &self.bindings),
        }
    }

    /// An unknown source that is a `let` name of the other kind (a fire
    /// `let` in a police subquery): `wrong_kind`, not `unknown_source`.
    fn let_of_other_kind(&self, e: Error, src: &str, ds: &Dataset) -> Error {
        let here = ds.kind();
        let other = match here {
            crate::catalog::Kind::Police => &self.fire_bindings,
            crate::catalog::Kind::Fire => &self.bindings,
        };
        crate::semantic::kinds::let_of_other_kind(e, src, here, &|key| other.0.contains_key(key))
    }

    fn run_unguarded(&mut self, src: &str, stmt: &Statement, params: &Params) -> Result<StatementOutput> {
        let ds = &*self.data;
        match &stmt.kind {
            StatementKind::Query(q) => {
                let (ds, bindings) = self.kind_of(q);
                let mut r = resolve_query(ds, src, q, params, bindings)
                    .map_err(|e| self.let_of_other_kind(e, src, ds))?;
                if self.grid_columns {
                    add_grid_columns(&mut r);
                }
                Ok(StatementOutput::Rows(exec::run(ds, &r).rows))
            }
            StatementKind::Let { name, query } => {
                if SourceKind::from_name(&name.name).is_some() || name.name.eq_ignore_ascii_case("services") {
                    return Err(Error::new(
                        ErrorKind::Resolve,
                        "peelql::resolve::reserved_name",
                        format!("`{}` is a source; a `let` needs another name", name.name),
                    )
                    .with_span(name.span, "already a source"));
                }
                let held = self.bindings.0.len() + self.fire_bindings.0.len();
                let known = self.bindings.0.contains_key(&name.key())
                    || self.fire_bindings.0.contains_key(&name.key());
                if held >= MAX_LETS && !known {
                    return Err(Error::new(
                        ErrorKind::Resolve,
                        "peelql::resolve::too_many_lets",
                        format!("this session holds {MAX_LETS} `let` names already, each keeping its rows"),
                    )
                    .with_span(name.span, "one name too many")
                    .with_help(
                        "bind an existing name again (its old rows are freed), or start a new session",
                    ));
                }
                let (ds, bindings) = self.kind_of(query);
                let fire = ds.kind() == crate::catalog::Kind::Fire;
                let r = resolve_query(ds, src, query, params, bindings)
                    .map_err(|e| self.let_of_other_kind(e, src, ds))?;
                let mut out = exec::run(ds, &r);
                let rows = out.rows.len();
                // the warnings are the `let`'s, not its rows' when queried later
                let warnings = std::mem::take(&mut out.rows.warnings);
                let from = match (out.refs, r.from.kind(), r.from.scope()) {
                    (Some(refs), Some(kind), Some(scope)) => {
                        RowSource::Rows(kind, scope.clone(), Arc::new(refs))
                    }
                    _ => RowSource::Table(Arc::new(Derived { rows: out.rows, origins: out.origins })),
                };
                let binding = Binding { from, programmes: r.programmes.clone() };
                // a name stands for one kind's rows: binding it again for the
                // other kind frees the old rows
                let (mine, other) = if fire {
                    (&mut self.fire_bindings, &mut self.bindings)
                } else {
                    (&mut self.bindings, &mut self.fire_bindings)
                };
                other.0.remove(&name.key());
                mine.0.insert(name.key(), Arc::new(binding));
                Ok(StatementOutput::Bound { name: name.name.clone(), rows, warnings })
            }
            StatementKind::Explain(q) => {
                let (ds, bindings) = self.kind_of(q);
                let r = resolve_query(ds, src, q, params, bindings)
                    .map_err(|e| self.let_of_other_kind(e, src, ds))?;
                Ok(StatementOutput::Text(explain(ds, src, q, &r)))
            }
            StatementKind::Show { what, subject: Some(subject), .. } => {
                let kind = match what.key().as_str() {
                    "force" | "forces" => crate::catalog::Kind::Police,
                    "service" | "services" => crate::catalog::Kind::Fire,
                    _ => {
                        return Err(Error::new(
                            ErrorKind::Resolve,
                            "peelql::resolve::unknown_topic",
                            format!("`show {}` takes no name", what.name),
                        )
                        .with_span(what.span, "not a force or service")
                        .with_help("a name's history: `show force \"cambs\"` or `show service \"LFB\"`"));
                    }
                };
                Ok(StatementOutput::Rows(history_show::show(&self.data, kind, subject)?))
            }
            StatementKind::Show { what, of, programme, subject: None } => {
                // `show areas in frs 2023`: the fire half's areas
                let fire = matches!(
                    programme.as_ref().map(|p| &p.kind),
                    Some(syntax::ProgrammeRefKind::Named(t)) if crate::semantic::kinds::is_fire_programme_text(t)
                );
                if fire {
                    let fire = &self.data.fire().dataset;
                    return show(fire, what, of.as_ref(), programme.as_ref(), params, &self.fire_bindings);
                }
                show(ds, what, of.as_ref(), programme.as_ref(), params, &self.bindings)
            }
        }
    }

    /// The names bound by `let` so far.
    pub fn bound_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.bindings.0.keys().chain(self.fire_bindings.0.keys()).cloned().collect();
        v.sort();
        v
    }
}

/// The bundled data as a store's [`Bundle`], for `f`.
fn with_bundle<T>(f: impl FnOnce(&Bundle<'_>) -> Result<T>) -> Result<T> {
    let fingerprint = DataFiles::bundled_fingerprint();
    let load = || DataFiles::bundled().to_tables();
    f(&Bundle { fingerprint: &fingerprint, tables: &load })
}

/// Runs `f`, turning a damaged section of a data set's image, found while
/// `f` read it, into a `peelql::store::corrupt` error (and setting the
/// damaged snapshot aside, so the next open rebuilds it from sled).
fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => match payload.downcast::<crate::dataset::Damaged>() {
            Ok(d) => {
                let mut e = Error::store(
                    crate::store::code::CORRUPT,
                    format!("a part of the data set cannot be read: {}", d.what),
                );
                if let Some(path) = &d.path {
                    snapshot::set_aside(path);
                    e = e.with_help(format!(
                        "the snapshot {} was damaged and has been set aside; run the query again \
                         and it is rebuilt from the store",
                        path.display()
                    ));
                }
                Err(e)
            }
            Err(other) => std::panic::resume_unwind(other),
        },
    }
}

/// Adds `theme`, `basis` and `source_url` to a query over `grades` that
/// keeps its rows, unless it already has columns of those names, and the
/// hidden row facts `kind`, `short` and `scale` (see
/// [`crate::rows::hidden_column`]); asks a `forces` query for its cells'
/// facts; and both for each row's Engage facts (hidden columns).
fn add_grid_columns(r: &mut Resolved) {
    use crate::semantic::{Col, OutputColumn, RExpr};
    if r.from.kind() == Some(SourceKind::Forces) && r.then.is_empty() && !r.grouped {
        r.cell_facts = true;
        r.engage_facts = true;
        return;
    }
    if !r.keeps_rows || r.from.kind() != Some(SourceKind::Grades) || !r.then.is_empty() {
        return;
    }
    r.engage_facts = true;
    let crate::semantic::Output::Columns(cols) = &mut r.output else { return };
    for col in [Col::Theme, Col::Basis, Col::SourceUrl] {
        let name = columns::header(SourceKind::Grades, col);
        if !cols.iter().any(|c| c.name.eq_ignore_ascii_case(name)) {
            cols.push(OutputColumn { name: name.to_string(), expr: RExpr::Col(col) });
        }
    }
    // each row's kind, short name and programme's scale, hidden: the
    // picture says "services" of services, labels rows as the data set
    // shortens them and draws the legend of the scale shown
    for (fact, col) in [("kind", Col::Kind), ("short", Col::Short), ("scale", Col::Scale)] {
        cols.push(OutputColumn { name: crate::rows::hidden_column("", fact), expr: RExpr::Col(col) });
    }
}

const SHOW_TOPICS: &[&str] =
    &["forces", "areas", "programmes", "themes", "sources", "columns", "services", "commissioners"];

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
    if fire_show::TOPICS.contains(&key.as_str()) {
        if let Some(found) = fire_show::show(ds, &key) {
            return Ok(StatementOutput::Rows(found));
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
                as_of: None,
                filter: None,
                group_by: None,
                select: None,
                distinct: None,
                order_by: None,
                limit: None,
                then: Vec::new(),
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
                .with_help(did_you_mean_or_list(&source.name, &names, "the sources are")));
            };
            let list = columns::listed(kind)
                .into_iter()
                .map(|c| vec![text(c.names.join(", ")), text(c.ty.word()), text(c.doc)])
                .collect();
            rows(&["column", "type", "meaning"], list)
        }
        _ => {
            let help = did_you_mean_or_list(&what.name, SHOW_TOPICS, "`show` lists one of");
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
