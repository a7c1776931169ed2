//! PeelQL against SQLite on synthetic data sets of 10 k, 100 k and 1 M
//! graded cells: the whole table of BENCHMARKS.md from one command.
//!
//! ```text
//! cargo bench --bench versus_sqlite                          # 10k,100k,1m
//! cargo bench --bench versus_sqlite -- --sizes 10k,100k       # fewer sizes
//! cargo bench --bench versus_sqlite -- gen 1m /tmp/peel-1m     # just the data set
//! cargo test  --bench versus_sqlite                          # smoke: 10 k, answers only
//! ```
//!
//! For each size it generates the data set (deterministic, cached under
//! the target directory), times the import of the CSV files into a peelql
//! store (the library path `peelql import` uses) against `sqlite3`'s
//! `.import` of the same files, loads a normalised SQLite database,
//! checks that both engines give the same answers to the six questions,
//! times each question (interleaved, median), and measures open-to-first-
//! answer time and peak memory in child processes. Then, once, the
//! one-shot speed of the `peelql` binary against `sqlite3` on the bundled
//! data (with hyperfine when installed).

mod peers;
mod sql;
mod synth;

use peelql::catalog::files::{DataFiles, FILE_NAMES};
use peelql::dataset::Dataset;
use peelql::store::{Bundle, SledStore};
use peelql::{Engine, Value};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

struct Opts {
    sizes: Vec<usize>,
    seed: u64,
    root: PathBuf,
    smoke: bool,
    /// Time spent per question per size, at least.
    budget: Duration,
    /// Child-process runs for imports and opens.
    runs: usize,
    oneshot: bool,
}

fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim().to_ascii_lowercase();
    let (num, mul) = if let Some(n) = s.strip_suffix('m') {
        (n, 1_000_000)
    } else if let Some(n) = s.strip_suffix('k') {
        (n, 1_000)
    } else {
        (s.as_str(), 1)
    };
    num.parse::<usize>().ok().map(|n| n * mul)
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; `cargo test --bench` does not.
    let bench_flag = raw.iter().any(|a| a == "--bench");
    let args: Vec<String> = raw.into_iter().filter(|a| a != "--bench").collect();
    let result = match args.first().map(String::as_str) {
        Some("gen") => gen_command(&args[1..]),
        Some("child") => child(&args[1..]),
        _ => match options(&args, bench_flag) {
            Ok(opts) => bench(&opts),
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("versus_sqlite: {e}");
            ExitCode::FAILURE
        }
    }
}

fn options(args: &[String], bench_flag: bool) -> Res<Opts> {
    let mut opts = Opts {
        sizes: vec![10_000, 100_000, 1_000_000],
        seed: 7,
        root: PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-data"),
        smoke: !bench_flag,
        budget: Duration::from_millis(2000),
        runs: 5,
        oneshot: true,
    };
    let mut sizes_given = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--sizes" => {
                opts.sizes = value()?
                    .split(',')
                    .map(|s| parse_size(s).ok_or_else(|| format!("bad size {s:?}")))
                    .collect::<Result<_, _>>()?;
                sizes_given = true;
            }
            "--seed" => opts.seed = value()?.parse()?,
            "--data" => opts.root = PathBuf::from(value()?),
            "--budget-ms" => opts.budget = Duration::from_millis(value()?.parse()?),
            "--runs" => opts.runs = value()?.parse()?,
            "--no-oneshot" => opts.oneshot = false,
            "--smoke" => opts.smoke = true,
            "--full" => opts.smoke = false,
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    if opts.smoke && !sizes_given {
        opts.sizes = vec![10_000];
    }
    Ok(opts)
}

fn gen_command(args: &[String]) -> Res<()> {
    let (Some(cells), Some(dir)) = (args.first().and_then(|s| parse_size(s)), args.get(1)) else {
        return Err("usage: gen CELLS DIR [SEED]".into());
    };
    let seed = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(7);
    let w = synth::generate(Path::new(dir), cells, seed)?;
    println!(
        "{} cells, {} bodies, {} inspections, {} bytes of CSV in {dir}",
        w.cells, w.bodies, w.inspections, w.bytes
    );
    Ok(())
}

// ---- measuring ---------------------------------------------------------------

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// Peak resident memory of this process, in KiB.
fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    if v.is_empty() { Duration::ZERO } else { v[v.len() / 2] }
}

fn median_u64(v: &mut [u64]) -> u64 {
    v.sort();
    if v.is_empty() { 0 } else { v[v.len() / 2] }
}

fn fmt_dur(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.0} µs")
    } else if us < 1e6 {
        let ms = us / 1000.0;
        if ms < 10.0 { format!("{ms:.2} ms") } else { format!("{ms:.1} ms") }
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

fn fmt_mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn ratio(a: f64, b: f64) -> String {
    if b <= 0.0 { "n/a".into() } else { format!("{:.2}×", a / b) }
}

/// Runs `a` and `b` alternately until `budget` has passed (and each ran at
/// least 7 times, at most 1000), after two warm-up runs each.
fn time_pair(budget: Duration, mut a: impl FnMut(), mut b: impl FnMut()) -> (Duration, Duration, usize) {
    for _ in 0..2 {
        a();
        b();
    }
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    let start = Instant::now();
    let mut i = 0usize;
    while (start.elapsed() < budget || ta.len() < 7) && ta.len() < 1000 {
        let time = |f: &mut dyn FnMut(), v: &mut Vec<Duration>| {
            let t = Instant::now();
            f();
            v.push(t.elapsed());
        };
        if i % 2 == 0 {
            time(&mut a, &mut ta);
            time(&mut b, &mut tb);
        } else {
            time(&mut b, &mut tb);
            time(&mut a, &mut ta);
        }
        i += 1;
    }
    let n = ta.len();
    (median(&mut ta), median(&mut tb), n)
}

// ---- the engines' sides --------------------------------------------------------

/// A peelql store filled from the CSV files in `csv`: the library path
/// `peelql import` takes (parse, check by building the data set, replace
/// the store's content in one generation).
fn import_peelql(csv: &Path, store: &Path) -> Res<()> {
    let tables = DataFiles::from_dir(csv)?.to_tables()?;
    let ds = Dataset::build(tables)?;
    let bundled = || DataFiles::bundled().to_tables();
    let fingerprint = DataFiles::bundled().fingerprint();
    let s = SledStore::open(store, &Bundle { fingerprint: &fingerprint, tables: &bundled })?;
    s.replace_dataset(&ds, &mut |_, _| {})?;
    Ok(())
}

/// `sqlite3 DB` importing every CSV file into its own table.
fn import_sqlite_cli(csv: &Path, db: &Path) -> Res<Duration> {
    let _ = std::fs::remove_file(db);
    let mut script = String::from(".mode csv\n");
    // engage.csv is optional (the synthetic data set has no monitoring moves)
    for name in FILE_NAMES.iter().filter(|n| **n != "engage.csv" || csv.join(n).exists()) {
        let table = name.trim_end_matches(".csv");
        script.push_str(&format!(".import '{}' {table}\n", csv.join(name).display()));
    }
    let t = Instant::now();
    let mut child = Command::new("sqlite3").arg(db).stdin(Stdio::piped()).stdout(Stdio::null()).spawn()?;
    {
        use std::io::Write;
        child.stdin.take().ok_or("no stdin")?.write_all(script.as_bytes())?;
    }
    let status = child.wait()?;
    let elapsed = t.elapsed();
    if !status.success() {
        return Err("sqlite3 .import failed".into());
    }
    Ok(elapsed)
}

fn have(cmd: &str) -> bool {
    Command::new(cmd).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

/// peelql rows as text, the form answers are compared in (grades as ranks,
/// like the SQL schema stores them).
fn peelql_rows(engine: &Engine, q: &str) -> Res<Vec<Vec<String>>> {
    let rows = engine.query(q)?;
    Ok(rows
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| match v {
                    Value::Null => "NULL".to_string(),
                    Value::Grade(g) => g.rank().to_string(),
                    Value::Decimal(d) => format!("{:.2}", d.rounded()),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// What a child process reports: `key=value` words.
fn report_value(out: &str, key: &str) -> Option<f64> {
    out.split_whitespace().find_map(|w| w.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
}

fn run_child(args: &[&str]) -> Res<(Duration, String)> {
    let exe = std::env::current_exe()?;
    let t = Instant::now();
    let out = Command::new(exe).arg("child").args(args).stderr(Stdio::inherit()).output()?;
    let elapsed = t.elapsed();
    if !out.status.success() {
        return Err(format!("child {args:?} failed").into());
    }
    Ok((elapsed, String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// Child processes: `import-peelql CSV STORE`, `open-peelql STORE`,
/// `open-sqlite DB`.
fn child(args: &[String]) -> Res<()> {
    let arg = |i: usize| args.get(i).map(PathBuf::from).ok_or("missing argument");
    match args.first().map(String::as_str) {
        Some("import-peelql") => {
            import_peelql(&arg(1)?, &arg(2)?)?;
            println!("hwm_kib={}", vm_hwm_kib());
            Ok(())
        }
        // for profiling: open and answer question 1 only
        Some("first-peelql") => {
            let t = Instant::now();
            let rows = Engine::open(&arg(1)?)?.query(sql::QUESTIONS[0].peelql)?;
            println!("first_us={} rows={} hwm_kib={}", t.elapsed().as_micros(), rows.len(), vm_hwm_kib());
            Ok(())
        }
        Some("open-peelql") => {
            let t = Instant::now();
            let engine = Engine::open(&arg(1)?)?;
            let open = t.elapsed();
            let first = engine.query(sql::QUESTIONS[0].peelql)?;
            let answer = t.elapsed();
            let mut n = first.len();
            for q in &sql::QUESTIONS[1..] {
                n += engine.query(q.peelql)?.len();
            }
            println!(
                "open_us={} first_us={} rows={n} hwm_kib={}",
                open.as_micros(),
                answer.as_micros(),
                vm_hwm_kib()
            );
            Ok(())
        }
        Some("open-sqlite") => {
            let t = Instant::now();
            let conn = Connection::open_with_flags(arg(1)?, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            let open = t.elapsed();
            let first = sql::run(&conn, sql::QUESTIONS[0].sql)?;
            let answer = t.elapsed();
            let mut n = first.len();
            for q in &sql::QUESTIONS[1..] {
                n += sql::run(&conn, q.sql)?.len();
            }
            println!(
                "open_us={} first_us={} rows={n} hwm_kib={}",
                open.as_micros(),
                answer.as_micros(),
                vm_hwm_kib()
            );
            Ok(())
        }
        // for profiling: `child repeat-peelql STORE QUESTION TIMES`
        Some("repeat-peelql") => {
            let engine = Engine::open(&arg(1)?)?;
            let q = &sql::QUESTIONS[args.get(2).ok_or("question")?.parse::<usize>()? - 1];
            let times: usize = args.get(3).ok_or("times")?.parse()?;
            let t = Instant::now();
            for _ in 0..times {
                std::hint::black_box(engine.query(q.peelql)?);
            }
            println!("{}: {} per query", q.label, fmt_dur(t.elapsed() / times as u32));
            Ok(())
        }
        _ => Err(format!("unknown child command {args:?}").into()),
    }
}

// ---- the benchmark -------------------------------------------------------------

struct SizeResult {
    cells: usize,
    csv_bytes: u64,
    bodies: usize,
    inspections: usize,
    load_before: String,
    load_after: String,
    /// (label, peelql, sqlite, runs)
    queries: Vec<(&'static str, Duration, Duration, usize)>,
    open_peelql: Option<(Duration, Duration, u64)>,
    open_sqlite: Option<(Duration, Duration, u64)>,
    import_peelql: Option<Duration>,
    import_sqlite: Option<Duration>,
    sqlite_load: Duration,
    store_bytes: u64,
    sqlite_bytes: u64,
    /// Peak memory of the import process.
    import_hwm: Option<u64>,
    duck: Option<peers::DuckResult>,
    /// Question 1 as whole processes: `peelql --db STORE -c`, `sqlite3`.
    whole: Option<(Duration, Duration)>,
    /// The prompt: slowest median keystroke and Tab, µs.
    prompt: Option<(u64, u64)>,
}

fn dir_size(p: &Path) -> u64 {
    let Ok(rd) = std::fs::read_dir(p) else { return std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) };
    rd.filter_map(|e| e.ok())
        .map(|e| {
            let path = e.path();
            if path.is_dir() { dir_size(&path) } else { e.metadata().map(|m| m.len()).unwrap_or(0) }
        })
        .sum()
}

fn bench(opts: &Opts) -> Res<()> {
    println!(
        "# peelql vs SQLite{}\n\nSQLite {} (rusqlite, bundled) for the queries; load average at start: {}; {} cores",
        if opts.smoke { " (smoke: answers only)" } else { "" },
        rusqlite::version(),
        load_average(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let sqlite_cli = have("sqlite3");
    let mut results = Vec::new();
    for &cells in &opts.sizes {
        results.push(bench_size(opts, cells, sqlite_cli)?);
    }
    let oneshot = if opts.oneshot && !opts.smoke { Some(oneshot(opts, sqlite_cli)?) } else { None };
    if opts.smoke {
        println!("\nanswers agree at {:?} cells", opts.sizes);
        return Ok(());
    }
    print_report(&results, oneshot.as_deref());
    Ok(())
}

fn bench_size(opts: &Opts, cells: usize, sqlite_cli: bool) -> Res<SizeResult> {
    let dir = opts.root.join(format!("cells-{cells}-seed-{}-v{}", opts.seed, synth::GENERATOR_VERSION));
    let csv = dir.join("csv");
    let stamp = csv.join("generated");
    let (bodies, inspections) = if let Ok(text) = std::fs::read_to_string(&stamp) {
        let mut it = text.split_whitespace().map(|w| w.parse().unwrap_or(0));
        (it.next().unwrap_or(0), it.next().unwrap_or(0))
    } else {
        let t = Instant::now();
        let w = synth::generate(&csv, cells, opts.seed)?;
        eprintln!("[{cells}] generated {} bodies, {} bytes in {}", w.bodies, w.bytes, fmt_dur(t.elapsed()));
        std::fs::write(&stamp, format!("{} {}", w.bodies, w.inspections))?;
        (w.bodies, w.inspections)
    };
    let csv_bytes: u64 =
        FILE_NAMES.iter().map(|n| std::fs::metadata(csv.join(n)).map(|m| m.len()).unwrap_or(0)).sum();
    let load_before = load_average();
    eprintln!("[{cells}] load {load_before}");

    // import: CSV files -> peelql store, and sqlite3's .import
    let store = dir.join("store");
    let mut import_peelql_t = None;
    let mut import_sqlite_t = None;
    let mut import_hwm = None;
    if opts.smoke {
        let _ = std::fs::remove_dir_all(&store);
        import_peelql(&csv, &store)?;
    } else {
        let runs = if cells >= 1_000_000 { 3 } else { opts.runs };
        let (mut tp, mut ts, mut hwm) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            let _ = std::fs::remove_dir_all(&store);
            let (t, out) = run_child(&["import-peelql", &csv.to_string_lossy(), &store.to_string_lossy()])?;
            tp.push(t);
            hwm.push(report_value(&out, "hwm_kib").unwrap_or(0.0) as u64);
            if sqlite_cli {
                ts.push(import_sqlite_cli(&csv, &dir.join("import.sqlite"))?);
            }
        }
        import_peelql_t = Some(median(&mut tp));
        import_hwm = Some(median_u64(&mut hwm));
        import_sqlite_t = sqlite_cli.then(|| median(&mut ts));
        let _ = std::fs::remove_file(dir.join("import.sqlite"));
        eprintln!(
            "[{cells}] import peelql {} sqlite3 {}",
            fmt_dur(import_peelql_t.unwrap_or_default()),
            import_sqlite_t.map_or("n/a".into(), fmt_dur)
        );
    }

    // the normalised SQLite database
    let db = dir.join("peel.sqlite");
    let t = Instant::now();
    let ds = Dataset::build(DataFiles::from_dir(&csv)?.to_tables()?)?;
    sql::load(&ds, &db)?;
    let sqlite_load = t.elapsed();
    eprintln!("[{cells}] SQLite normalised load {}", fmt_dur(sqlite_load));

    // open to first answer, peak memory: child processes
    let (mut open_peelql, mut open_sqlite) = (None, None);
    if !opts.smoke {
        let runs = opts.runs;
        let mut p = (Vec::new(), Vec::new(), Vec::new());
        let mut s = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            for (which, path, acc) in [("open-peelql", &store, &mut p), ("open-sqlite", &db, &mut s)] {
                let (_, out) = run_child(&[which, &path.to_string_lossy()])?;
                let us = |k| Duration::from_micros(report_value(&out, k).unwrap_or(0.0) as u64);
                acc.0.push(us("open_us"));
                acc.1.push(us("first_us"));
                acc.2.push(report_value(&out, "hwm_kib").unwrap_or(0.0) as u64);
            }
        }
        open_peelql = Some((median(&mut p.0), median(&mut p.1), median_u64(&mut p.2)));
        open_sqlite = Some((median(&mut s.0), median(&mut s.1), median_u64(&mut s.2)));
        eprintln!(
            "[{cells}] open->first peelql {} sqlite {}",
            fmt_dur(open_peelql.map(|x| x.1).unwrap_or_default()),
            fmt_dur(open_sqlite.map(|x| x.1).unwrap_or_default())
        );
    }

    // answers, then per-query times
    let engine = Engine::open(&store)?;
    let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut queries = Vec::new();
    let mut answers = Vec::new();
    for q in &sql::QUESTIONS {
        let mut a = peelql_rows(&engine, q.peelql)?;
        answers.push(a.clone());
        let mut b = sql::rows(&conn, q.sql)?;
        if !q.ordered {
            a.sort();
            b.sort();
        }
        if a != b {
            let first = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
            return Err(format!(
                "[{cells}] answers differ for {:?}: peelql {} rows, SQLite {} rows; first difference at row {first}: {:?} vs {:?}",
                q.label,
                a.len(),
                b.len(),
                a.get(first),
                b.get(first)
            )
            .into());
        }
        if a.is_empty() {
            return Err(format!("[{cells}] {:?} has no rows: a poor benchmark question", q.label).into());
        }
        if opts.smoke {
            eprintln!("[{cells}] {}: {} rows agree", q.label, a.len());
            continue;
        }
        let (tp, ts, n) = time_pair(
            opts.budget,
            || {
                std::hint::black_box(engine.query(q.peelql).expect("peelql query"));
            },
            || {
                std::hint::black_box(sql::run(&conn, q.sql).expect("SQLite query"));
            },
        );
        eprintln!(
            "[{cells}] {}: {} rows; peelql {} SQLite {} ({n} runs)",
            q.label,
            a.len(),
            fmt_dur(tp),
            fmt_dur(ts)
        );
        queries.push((q.label, tp, ts, n));
    }
    drop(engine);
    let duck = match peers::duck_python() {
        Some(python) => {
            let d = peers::bench(&python, &ds, &dir, &answers, opts.budget, opts.runs, opts.smoke)?;
            eprintln!("[{cells}] DuckDB: answers agree; load {}", fmt_dur(d.load));
            Some(d)
        }
        None => {
            eprintln!("[{cells}] DuckDB: no PEELQL_BENCH_PYTHON (scripts/bench sets it): skipped");
            None
        }
    };
    drop(ds);
    let (whole, prompt) = if opts.smoke {
        (None, None)
    } else {
        let whole = if sqlite_cli { Some(peers::whole_process(&store, &db, 20)?) } else { None };
        let prompt = peers::prompt(&store)?;
        eprintln!("[{cells}] whole process {whole:?}; prompt keystroke {} µs, Tab {} µs", prompt.0, prompt.1);
        (whole, Some(prompt))
    };
    Ok(SizeResult {
        cells,
        csv_bytes,
        bodies,
        inspections,
        load_before,
        load_after: load_average(),
        queries,
        open_peelql,
        open_sqlite,
        import_peelql: import_peelql_t,
        import_sqlite: import_sqlite_t,
        sqlite_load,
        store_bytes: dir_size(&store),
        sqlite_bytes: dir_size(&db),
        import_hwm,
        duck,
        whole,
        prompt,
    })
}

/// (what, median, runs) for each one-shot command.
type OneShot = (String, Duration, usize);

/// `peelql -c` (in memory and with a store) against `sqlite3 FILE SQL` on
/// the bundled data, whole process.
fn oneshot(opts: &Opts, sqlite_cli: bool) -> Res<Vec<OneShot>> {
    let peelql = env!("CARGO_BIN_EXE_peelql");
    let dir = opts.root.join("oneshot");
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("bundled.sqlite");
    sql::load(&Dataset::build(DataFiles::bundled().to_tables()?)?, &db)?;
    let store = dir.join("store");
    let _ = std::fs::remove_dir_all(&store);
    let q = sql::ONE_SHOT.peelql;
    let store_s = store.to_string_lossy().into_owned();
    let db_s = db.to_string_lossy().into_owned();

    // the answers agree (this also fills the store)
    let out = Command::new(peelql).args(["--db", &store_s, "-c", q, "--format", "csv"]).output()?;
    let mut a: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .map(|l| l.trim_matches('"').to_string())
        .collect();
    if sqlite_cli {
        let out = Command::new("sqlite3").args([&db_s, sql::ONE_SHOT.sql]).output()?;
        let mut b: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect();
        a.sort();
        b.sort();
        if a != b || a.is_empty() {
            return Err(format!("one-shot answers differ: {a:?} vs {b:?}").into());
        }
    }

    let commands: Vec<(String, Vec<String>)> = {
        let mut v = vec![
            ("peelql --memory -c".to_string(), vec![peelql.into(), "--memory".into(), "-c".into(), q.into()]),
            (
                "peelql --db STORE -c".to_string(),
                vec![peelql.into(), "--db".into(), store_s, "-c".into(), q.into()],
            ),
        ];
        if sqlite_cli {
            v.push(("sqlite3 FILE SQL".to_string(), vec!["sqlite3".into(), db_s, sql::ONE_SHOT.sql.into()]));
        }
        v
    };
    let runs = 200;
    if have("hyperfine") {
        let json = dir.join("hyperfine.json");
        let mut cmd = Command::new("hyperfine");
        cmd.args(["-N", "--warmup", "10", "--runs", &runs.to_string(), "--export-json"]).arg(&json);
        for (name, argv) in &commands {
            let line = argv
                .iter()
                .map(|a| {
                    if a.contains([' ', '"', '\'']) {
                        format!("'{}'", a.replace('\'', "'\\''"))
                    } else {
                        a.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            cmd.args(["--command-name", name, &line]);
        }
        let status = cmd.stdout(Stdio::null()).status()?;
        if !status.success() {
            return Err("hyperfine failed".into());
        }
        let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json)?)?;
        let mut out = Vec::new();
        for (r, (name, _)) in report["results"].as_array().ok_or("hyperfine json")?.iter().zip(&commands) {
            let median = r["median"].as_f64().unwrap_or(0.0);
            let n = r["times"].as_array().map_or(0, Vec::len);
            out.push((format!("{name} (hyperfine)"), Duration::from_secs_f64(median), n));
        }
        return Ok(out);
    }
    let mut out = Vec::new();
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); commands.len()];
    for i in 0..runs + 10 {
        for (k, (_, argv)) in commands.iter().enumerate() {
            let t = Instant::now();
            Command::new(&argv[0]).args(&argv[1..]).stdout(Stdio::null()).status()?;
            if i >= 10 {
                times[k].push(t.elapsed());
            }
        }
    }
    for ((name, _), mut t) in commands.iter().zip(times) {
        out.push((name.clone(), median(&mut t), runs));
    }
    Ok(out)
}

/// The head of a table with a peelql | SQLite | ratio column group per size.
fn print_table_head(first: &str, results: &[SizeResult]) {
    print!("| {first} |");
    for r in results {
        print!(" {} cells: peelql | SQLite | ratio |", short_size(r.cells));
    }
    println!();
    print!("|---|");
    for _ in results {
        print!("---:|---:|---:|");
    }
    println!();
}

fn print_report(results: &[SizeResult], oneshot: Option<&[OneShot]>) {
    println!(
        "\n## Per question: median time per query (parse, plan, run, rows out; peelql and SQLite interleaved, DuckDB right after)\n"
    );
    print!("| question |");
    for r in results {
        print!(" {} cells: peelql | SQLite | ÷ SQLite | DuckDB | ÷ DuckDB |", short_size(r.cells));
    }
    println!();
    print!("|---|");
    for _ in results {
        print!("---:|---:|---:|---:|---:|");
    }
    println!();
    let n = results.first().map_or(0, |r| r.queries.len());
    for i in 0..n {
        print!("| {} |", results[0].queries[i].0);
        for r in results {
            let (_, p, s, _) = r.queries[i];
            let d = r.duck.as_ref().and_then(|d| d.queries.get(i).copied());
            print!(
                " {} | {} | {} | {} | {} |",
                fmt_dur(p),
                fmt_dur(s),
                ratio(p.as_secs_f64(), s.as_secs_f64()),
                d.map_or("n/a".into(), fmt_dur),
                d.map_or("n/a".into(), |d| ratio(p.as_secs_f64(), d.as_secs_f64()))
            );
        }
        println!();
    }

    println!("\n## Open, memory, import, size\n");
    print_table_head("measure", results);
    let row = |label: &str, f: &dyn Fn(&SizeResult) -> (String, String, String)| {
        print!("| {label} |");
        for r in results {
            let (a, b, c) = f(r);
            print!(" {a} | {b} | {c} |");
        }
        println!();
    };
    row("open to first answer (question 1)", &|r| match (r.open_peelql, r.open_sqlite) {
        (Some(p), Some(s)) => (fmt_dur(p.1), fmt_dur(s.1), ratio(p.1.as_secs_f64(), s.1.as_secs_f64())),
        _ => ("–".into(), "–".into(), "–".into()),
    });
    row("… DuckDB (÷ DuckDB)", &|r| match (r.open_peelql, &r.duck) {
        (Some(p), Some(d)) => (fmt_dur(d.first), "".into(), ratio(p.1.as_secs_f64(), d.first.as_secs_f64())),
        _ => ("n/a".into(), "".into(), "".into()),
    });
    row("question 1 as a whole process (`peelql --db STORE -c` / `sqlite3 FILE SQL`)", &|r| match r.whole {
        Some((p, s)) => (fmt_dur(p), fmt_dur(s), ratio(p.as_secs_f64(), s.as_secs_f64())),
        None => ("–".into(), "–".into(), "–".into()),
    });
    row("… of which open", &|r| match (r.open_peelql, r.open_sqlite) {
        (Some(p), Some(s)) => (fmt_dur(p.0), fmt_dur(s.0), "".into()),
        _ => ("–".into(), "–".into(), "".into()),
    });
    row("peak memory (open + all six)", &|r| match (r.open_peelql, r.open_sqlite) {
        (Some(p), Some(s)) => (fmt_mib(p.2), fmt_mib(s.2), ratio(p.2 as f64, s.2 as f64)),
        _ => ("–".into(), "–".into(), "–".into()),
    });
    row("… DuckDB's (its Python process included)", &|r| match &r.duck {
        Some(d) => (fmt_mib(d.hwm_kib), "".into(), "".into()),
        None => ("n/a".into(), "".into(), "".into()),
    });
    row("peelql peak memory ÷ CSV size", &|r| match r.open_peelql {
        Some(p) => (format!("{:.2}×", p.2 as f64 * 1024.0 / r.csv_bytes as f64), "".into(), "".into()),
        None => ("–".into(), "".into(), "".into()),
    });
    row("import CSV → store (whole process; SQLite: sqlite3 .import)", &|r| match (
        r.import_peelql,
        r.import_sqlite,
    ) {
        (Some(p), Some(s)) => (fmt_dur(p), fmt_dur(s), ratio(p.as_secs_f64(), s.as_secs_f64())),
        (Some(p), None) => (fmt_dur(p), "n/a".into(), "".into()),
        _ => ("–".into(), "–".into(), "".into()),
    });
    row("import peak memory ÷ CSV size", &|r| match r.import_hwm {
        Some(h) => (format!("{:.2}×", h as f64 * 1024.0 / r.csv_bytes as f64), fmt_mib(h), "".into()),
        None => ("–".into(), "".into(), "".into()),
    });
    row("prompt: keystroke / Tab while typing a force's name (slowest median)", &|r| match r.prompt {
        Some((k, t)) => (fmt_dur(Duration::from_micros(k)), fmt_dur(Duration::from_micros(t)), "".into()),
        None => ("–".into(), "–".into(), "".into()),
    });
    row("size on disk (store / normalised db)", &|r| {
        (
            fmt_mib(r.store_bytes / 1024),
            fmt_mib(r.sqlite_bytes / 1024),
            ratio(r.store_bytes as f64, r.sqlite_bytes as f64),
        )
    });
    row("SQLite normalised load + indexes (info)", &|r| ("".into(), fmt_dur(r.sqlite_load), "".into()));
    row("DuckDB normalised load from CSV (info)", &|r| {
        ("".into(), r.duck.as_ref().map_or("n/a".into(), |d| fmt_dur(d.load)), "".into())
    });

    println!("\n## Data sets\n");
    println!("| cells | bodies | inspections | CSV bytes | load average before → after |");
    println!("|---:|---:|---:|---:|---|");
    for r in results {
        println!(
            "| {} | {} | {} | {:.1} MB | {} → {} |",
            r.cells,
            r.bodies,
            r.inspections,
            r.csv_bytes as f64 / 1e6,
            r.load_before,
            r.load_after
        );
    }
    if let Some(os) = oneshot {
        println!("\n## One-shot on the bundled data (whole process, median)\n");
        println!("| command | median | runs | ÷ sqlite3 |");
        println!("|---|---:|---:|---:|");
        let base = os.iter().find(|(n, _, _)| n.starts_with("sqlite3")).map(|x| x.1.as_secs_f64());
        for (name, d, n) in os {
            let r = base.map_or("n/a".into(), |b| ratio(d.as_secs_f64(), b));
            println!("| `{name}` | {} | {n} | {r} |", fmt_dur(*d));
        }
    }
    print_targets(results);
    println!("\nload average at end: {}", load_average());
}

/// Issue 14's targets, each checked against this run.
fn print_targets(results: &[SizeResult]) {
    println!("\n## Targets (ratios in this run)\n");
    println!("| target | measured | |");
    println!("|---|---|---|");
    let verdict = |ok: bool| if ok { "**met**" } else { "**missed**" };
    let each = |label: &str, f: &dyn Fn(&SizeResult) -> Option<(f64, String)>, limit: f64| {
        let got: Vec<(usize, f64, String)> =
            results.iter().filter_map(|r| f(r).map(|(v, s)| (r.cells, v, s))).collect();
        if got.is_empty() {
            println!("| {label} | n/a | |");
            return;
        }
        let text: Vec<String> = got.iter().map(|(c, _, s)| format!("{}: {s}", short_size(*c))).collect();
        println!("| {label} | {} | {} |", text.join("; "), verdict(got.iter().all(|(_, v, _)| *v <= limit)));
    };
    let x = |v: f64| (v, format!("{v:.2}×"));
    each(
        "open to first answer (question 1), in process, ≤ 1.0× SQLite",
        &|r| Some(x(r.open_peelql?.1.as_secs_f64() / r.open_sqlite?.1.as_secs_f64())),
        1.0,
    );
    each(
        "question 1 as a whole `peelql --db STORE -c` process ≤ 1.0× `sqlite3`",
        &|r| r.whole.map(|(p, s)| x(p.as_secs_f64() / s.as_secs_f64())),
        1.0,
    );
    let first = |r: &SizeResult| r.open_peelql.map(|p| p.1.as_secs_f64());
    match (results.iter().find(|r| r.cells == 1_000_000), results.iter().find(|r| r.cells == 10_000_000)) {
        (Some(a), Some(b)) => match (first(a), first(b)) {
            (Some(a), Some(b)) => println!(
                "| open-to-first-answer growth from 1 M to 10 M ≤ 2× | {:.2}× | {} |",
                b / a,
                verdict(b / a <= 2.0)
            ),
            _ => println!("| open-to-first-answer growth from 1 M to 10 M ≤ 2× | n/a | |"),
        },
        _ => println!("| open-to-first-answer growth from 1 M to 10 M ≤ 2× | needs `--sizes 1m,…,10m` | |"),
    }
    each(
        "each of the six questions ≤ 0.5× SQLite (worst)",
        &|r| r.queries.iter().map(|(_, p, s, _)| p.as_secs_f64() / s.as_secs_f64()).reduce(f64::max).map(x),
        0.5,
    );
    each(
        "each of the six questions ≤ 0.5× DuckDB (worst)",
        &|r| {
            let d = r.duck.as_ref()?;
            r.queries
                .iter()
                .zip(&d.queries)
                .map(|((_, p, _, _), d)| p.as_secs_f64() / d.as_secs_f64())
                .reduce(f64::max)
                .map(x)
        },
        0.5,
    );
    each(
        "import CSV → store ≤ 1.0× `sqlite3 .import`",
        &|r| Some(x(r.import_peelql?.as_secs_f64() / r.import_sqlite?.as_secs_f64())),
        1.0,
    );
    each(
        "import peak memory ≤ 2× the CSV size",
        &|r| Some(x(r.import_hwm? as f64 * 1024.0 / r.csv_bytes as f64)),
        2.0,
    );
    each(
        "peak memory, open + all six, ≤ 1.0× the CSV size",
        &|r| Some(x(r.open_peelql?.2 as f64 * 1024.0 / r.csv_bytes as f64)),
        1.0,
    );
    let largest = results.iter().max_by_key(|r| r.cells);
    match largest.and_then(|r| r.prompt.map(|p| (r.cells, p))) {
        Some((cells, (k, t))) => println!(
            "| a keystroke ≤ 16 ms, Tab ≤ 50 ms over a 10 M store (here {}) | {} / {} | {} |",
            short_size(cells),
            fmt_dur(Duration::from_micros(k)),
            fmt_dur(Duration::from_micros(t)),
            if cells < 10_000_000 { "(needs 10 M)" } else { verdict(k <= 16_000 && t <= 50_000) }
        ),
        None => println!("| a keystroke ≤ 16 ms, Tab ≤ 50 ms over a 10 M store | n/a | |"),
    }
}

fn short_size(n: usize) -> String {
    if n >= 1_000_000 && n % 1_000_000 == 0 {
        format!("{} M", n / 1_000_000)
    } else if n >= 1000 && n % 1000 == 0 {
        format!("{} k", n / 1000)
    } else {
        n.to_string()
    }
}
