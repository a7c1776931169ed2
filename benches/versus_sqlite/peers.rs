//! The second peer, DuckDB (through its Python package, in the virtual
//! environment `scripts/bench` makes), and the measures taken of whole
//! processes: `peelql --db STORE -c` against `sqlite3 FILE SQL` on question
//! 1, and the prompt's keystroke and Tab costs.

use crate::Res;
use crate::sql;
use peelql::dataset::Dataset;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The Python with `duckdb` installed: `PEELQL_BENCH_PYTHON`, set by
/// `scripts/bench`; without it the DuckDB columns say n/a.
pub fn duck_python() -> Option<PathBuf> {
    let p = PathBuf::from(std::env::var_os("PEELQL_BENCH_PYTHON")?);
    p.exists().then_some(p)
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/versus_sqlite/duck.py")
}

/// What DuckDB did at one size.
#[derive(Clone, Debug)]
pub struct DuckResult {
    /// The normalised load from the CSV files (info).
    pub load: Duration,
    /// Median per question.
    pub queries: Vec<Duration>,
    /// Open to first answer (median of the runs).
    pub first: Duration,
    /// Peak memory of that process (the Python interpreter included).
    pub hwm_kib: u64,
}

fn run(python: &Path, args: &[&str]) -> Res<serde_json::Value> {
    let out = Command::new(python).arg(script()).args(args).stderr(Stdio::inherit()).output()?;
    if !out.status.success() {
        return Err(format!("duck.py {args:?} failed").into());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// The normalised tables of `ds` as CSV files (the schema of `sql.rs`;
/// `\N` for null), which DuckDB loads.
fn write_csv(ds: &Dataset, dir: &Path) -> Res<()> {
    std::fs::create_dir_all(dir)?;
    let file = |name: &str| csv::Writer::from_path(dir.join(format!("{name}.csv")));
    let null = |v: Option<String>| v.unwrap_or_else(|| "\\N".into());
    let cat = &ds.catalog;
    let mut w = file("forces")?;
    w.write_record(["id", "name", "short_name", "region", "country"])?;
    for f in &cat.forces {
        w.write_record([&f.id.0.to_string(), &f.name, &f.short_name, &f.region, &f.country])?;
    }
    w.flush()?;
    let mut w = file("programmes")?;
    w.write_record(["id", "name", "start_year", "end_year", "scale"])?;
    for p in &cat.programmes {
        let row = [p.id.0.to_string(), p.name.clone(), p.start_year.to_string(), p.end_year.to_string()];
        w.write_record(row.iter().map(String::as_str).chain([p.scale.name()]))?;
    }
    w.flush()?;
    let mut w = file("themes")?;
    w.write_record(["id", "key", "name"])?;
    for t in &cat.themes {
        w.write_record([&t.id.0.to_string(), &t.key, &t.name])?;
    }
    w.flush()?;
    let mut w = file("areas")?;
    w.write_record(["id", "programme_id", "theme_id", "name"])?;
    for a in &cat.areas {
        w.write_record([&a.id.0.to_string(), &a.programme.0.to_string(), &a.theme.0.to_string(), &a.name])?;
    }
    w.flush()?;
    let mut w = file("inspections")?;
    w.write_record(["id", "force_id", "programme_id", "published"])?;
    for i in &ds.inspections {
        let row = [i.id.0.to_string(), i.force.0.to_string(), i.programme.0.to_string()];
        w.write_record(row.iter().cloned().chain([null(i.published.map(|d| d.to_string()))]))?;
    }
    w.flush()?;
    let mut w = file("grades")?;
    w.write_record(["inspection_id", "area_id", "grade", "published", "source_url", "basis"])?;
    for g in &ds.grades {
        w.write_record([
            g.inspection.0.to_string(),
            g.area.0.to_string(),
            null(g.grade.map(|g| g.rank().to_string())),
            null(g.published.map(|d| d.to_string())),
            g.source_url.to_string(),
            g.basis.name().to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Loads `ds` into a DuckDB file in `dir`, checks its answers against
/// `answers` (peelql's, as text; sorted unless the question is ordered),
/// and times it.
pub fn bench(
    python: &Path,
    ds: &Dataset,
    dir: &Path,
    answers: &[Vec<Vec<String>>],
    budget: Duration,
    runs: usize,
    smoke: bool,
) -> Res<DuckResult> {
    let csv = dir.join("duckdb-csv");
    let db = dir.join("peel.duckdb");
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_file(dir.join("peel.duckdb.wal"));
    write_csv(ds, &csv)?;
    let loaded = run(python, &["load", &csv.to_string_lossy(), &db.to_string_lossy()])?;
    let load = Duration::from_secs_f64(loaded["load_s"].as_f64().unwrap_or(0.0));
    let _ = std::fs::remove_dir_all(&csv);
    let questions = dir.join("questions.json");
    let sqls: Vec<&str> = sql::QUESTIONS.iter().map(|q| q.sql).collect();
    std::fs::write(&questions, serde_json::to_string(&sqls)?)?;
    let (db_s, q_s) = (db.to_string_lossy().into_owned(), questions.to_string_lossy().into_owned());
    let got = run(python, &["answers", &db_s, &q_s])?;
    for (i, (q, want)) in sql::QUESTIONS.iter().zip(answers).enumerate() {
        let mut rows: Vec<Vec<String>> = got[i]
            .as_array()
            .ok_or("duck.py answers")?
            .iter()
            .map(|r| {
                r.as_array()
                    .map_or(Vec::new(), |r| r.iter().map(|c| c.as_str().unwrap_or("").to_owned()).collect())
            })
            .collect();
        let mut want = want.clone();
        if !q.ordered {
            rows.sort();
            want.sort();
        }
        if rows != want {
            return Err(format!(
                "answers differ for {:?}: peelql {} rows, DuckDB {} rows; first peelql {:?}, DuckDB {:?}",
                q.label,
                want.len(),
                rows.len(),
                want.first(),
                rows.first()
            )
            .into());
        }
    }
    if smoke {
        return Ok(DuckResult { load, queries: Vec::new(), first: Duration::ZERO, hwm_kib: 0 });
    }
    let timed = run(python, &["time", &db_s, &q_s, &budget.as_millis().to_string()])?;
    let queries = timed
        .as_array()
        .ok_or("duck.py time")?
        .iter()
        .map(|t| Duration::from_secs_f64(t["median_s"].as_f64().unwrap_or(0.0)))
        .collect();
    let (mut firsts, mut hwms) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let o = run(python, &["open", &db_s, &q_s])?;
        firsts.push(Duration::from_secs_f64(o["first_s"].as_f64().unwrap_or(0.0)));
        hwms.push(o["hwm_kib"].as_u64().unwrap_or(0));
    }
    Ok(DuckResult { load, queries, first: crate::median(&mut firsts), hwm_kib: crate::median_u64(&mut hwms) })
}

/// `peelql --db STORE -c Q1` and `sqlite3 DB SQL1`, whole processes: the
/// answers checked to agree, then the medians (hyperfine when installed).
pub fn whole_process(store: &Path, db: &Path, runs: usize) -> Res<(Duration, Duration)> {
    let peelql = env!("CARGO_BIN_EXE_peelql");
    let q = &sql::QUESTIONS[0];
    let sql_line = q.sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let (store_s, db_s) = (store.to_string_lossy().into_owned(), db.to_string_lossy().into_owned());
    let p_args = ["--db", &store_s, "-c", q.peelql, "--format", "csv"];
    let s_args = ["-csv", &db_s, &sql_line];
    let lines = |out: &[u8], skip: usize| -> Vec<String> {
        let mut v: Vec<String> =
            String::from_utf8_lossy(out).lines().skip(skip).map(|l| l.replace('"', "")).collect();
        v.sort();
        v
    };
    let a = Command::new(peelql).args(p_args).output()?;
    let b = Command::new("sqlite3").args(s_args).output()?;
    if !a.status.success() || !b.status.success() || lines(&a.stdout, 1) != lines(&b.stdout, 0) {
        return Err(format!(
            "whole-process answers to question 1 differ: {} vs {} lines ({})",
            lines(&a.stdout, 1).len(),
            lines(&b.stdout, 0).len(),
            String::from_utf8_lossy(&a.stderr)
        )
        .into());
    }
    let quoted = |args: &[&str]| {
        args.iter()
            .map(|a| {
                if a.contains([' ', '"', '\'', '(']) {
                    format!("'{}'", a.replace('\'', "'\\''"))
                } else {
                    a.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    if crate::have("hyperfine") {
        let json = store.with_extension("hyperfine.json");
        let status = Command::new("hyperfine")
            .args(["-N", "--warmup", "3", "--runs", &runs.to_string(), "--export-json"])
            .arg(&json)
            .args(["--command-name", "peelql", &format!("{peelql} {}", quoted(&p_args))])
            .args(["--command-name", "sqlite3", &format!("sqlite3 {}", quoted(&s_args))])
            .stdout(Stdio::null())
            .status()?;
        if !status.success() {
            return Err("hyperfine failed".into());
        }
        let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json)?)?;
        let median =
            |i: usize| Duration::from_secs_f64(report["results"][i]["median"].as_f64().unwrap_or(0.0));
        return Ok((median(0), median(1)));
    }
    let (mut tp, mut ts) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        for (cmd, args, acc) in [(peelql, &p_args[..], &mut tp), ("sqlite3", &s_args[..], &mut ts)] {
            let t = std::time::Instant::now();
            Command::new(cmd).args(args).stdout(Stdio::null()).status()?;
            acc.push(t.elapsed());
        }
    }
    Ok((crate::median(&mut tp), crate::median(&mut ts)))
}

/// The prompt's slowest median keystroke (hint) and Tab while typing a
/// force's name over `store`, in µs: `peelql --measure-prompt`.
pub fn prompt(store: &Path) -> Res<(u64, u64)> {
    let out = Command::new(env!("CARGO_BIN_EXE_peelql"))
        .arg("--db")
        .arg(store)
        .arg("--measure-prompt")
        .stderr(Stdio::inherit())
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let v = |k| crate::report_value(&text, k).unwrap_or(0.0) as u64;
    Ok((v("keystroke_us"), v("tab_us")))
}
