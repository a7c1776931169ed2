//! The five Engage questions, each one statement (as in
//! `tests/golden/bundled/engage.pql`), checked against answers computed
//! here from `data/engage.csv` (and `grades.csv`, `programmes.csv`) with
//! plain CSV reading and date arithmetic of its own — not the engine's.

use peelql::Engine;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Day = (u16, u8, u8);

/// A move as the file has it.
struct Move {
    force: String,
    entered: bool,
    date: String,
}

fn data(name: &str) -> Vec<BTreeMap<String, String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(name);
    let mut reader = csv::Reader::from_path(&path).expect("a data file");
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            headers.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), v.trim().to_string())).collect()
        })
        .collect()
}

fn moves() -> Vec<Move> {
    data("engage.csv")
        .into_iter()
        .map(|r| Move {
            force: r["force"].clone(),
            entered: r["event"] == "entered",
            date: r["date"].clone(),
        })
        .collect()
}

fn month_days(y: u16, m: u8) -> u8 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// The first and last day a written date (YYYY, YYYY-MM, YYYY-MM-DD) can be.
fn span(date: &str) -> (Day, Day) {
    let parts: Vec<u16> = date.split('-').map(|p| p.parse().expect("a number")).collect();
    let y = parts[0];
    match parts[1..] {
        [] => ((y, 1, 1), (y, 12, 31)),
        [m] => ((y, m as u8, 1), (y, m as u8, month_days(y, m as u8))),
        [m, d] => ((y, m as u8, d as u8), (y, m as u8, d as u8)),
        _ => panic!("not a date: {date}"),
    }
}

/// Days from `a` to `b`, counted a month at a time.
fn days_between(a: Day, b: Day) -> i64 {
    let serial = |(y, m, d): Day| -> i64 {
        let mut n = 0i64;
        for year in 1900..y {
            n += if month_days(year, 2) == 29 { 366 } else { 365 };
        }
        for month in 1..m {
            n += i64::from(month_days(y, month));
        }
        n + i64::from(d)
    };
    serial(b) - serial(a)
}

fn exact(date: &str) -> Option<Day> {
    (date.split('-').count() == 3).then(|| span(date).0)
}

/// The record's end: the latest dated move.
fn end() -> Day {
    moves().iter().filter(|m| !m.date.is_empty()).map(|m| span(&m.date).1).max().expect("dated moves")
}

/// In Engage over the whole of `[lo, hi]`: `Some(true/false)` when every
/// move falls clearly before or after it, else `None`.
fn in_engage(force: &str, lo: Day, hi: Day) -> Option<bool> {
    let mine: Vec<Move> = moves().into_iter().filter(|m| m.force == force).collect();
    // bounds: own date, narrowed by the neighbours, at most the record's end
    let mut bounds: Vec<(Day, Day)> =
        mine.iter().map(|m| if m.date.is_empty() { ((0, 1, 1), end()) } else { span(&m.date) }).collect();
    for i in 1..bounds.len() {
        bounds[i].0 = bounds[i].0.max(bounds[i - 1].0);
    }
    for i in (0..bounds.len().saturating_sub(1)).rev() {
        bounds[i].1 = bounds[i].1.min(bounds[i + 1].1);
    }
    let before = bounds.iter().filter(|b| b.1 <= lo).count();
    let maybe = bounds.iter().filter(|b| b.0 <= hi).count();
    (before == maybe).then_some(before % 2 == 1)
}

fn rows(engine: &Engine, q: &str) -> Vec<Vec<String>> {
    let r = engine.query(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    // a null is an empty cell, as CSV output shows it
    r.rows
        .iter()
        .map(|row| row.iter().map(|v| if v.is_null() { String::new() } else { v.to_string() }).collect())
        .collect()
}

fn engine() -> Engine {
    Engine::in_memory().expect("bundled data")
}

#[test]
fn which_forces_are_in_engage_now() {
    let moves = moves();
    let mut last: BTreeMap<&str, &Move> = BTreeMap::new();
    for m in &moves {
        last.insert(&m.force, m);
    }
    let want: Vec<Vec<String>> = last
        .values()
        .filter(|m| m.entered)
        .map(|m| {
            let days = days_between(exact(&m.date).expect("dated to the day"), end());
            vec![m.force.clone(), m.date.clone(), days.to_string()]
        })
        .collect();
    assert_eq!(want, [["Lincolnshire Police", "2024-12-06", "236"]]);
    assert_eq!(rows(&engine(), "forces where engage select name, engage_since, engage_days"), want);
}

#[test]
fn every_stay_and_how_long_it_lasted() {
    let moves = moves();
    let mut want = Vec::new();
    for (i, m) in moves.iter().enumerate().filter(|(_, m)| m.entered) {
        let exit = moves[i + 1..].iter().find(|x| x.force == m.force);
        let until = exit.map_or(String::new(), |x| x.date.clone());
        let to = match exit {
            Some(x) => exact(&x.date),
            None => Some(end()),
        };
        let days = exact(&m.date).zip(to).map_or(String::new(), |(a, b)| days_between(a, b).to_string());
        want.push(vec![m.force.clone(), m.date.clone(), until, days]);
    }
    assert_eq!(want.len(), 12);
    let got = rows(&engine(), "monitoring where event = entered select force, since, until, days");
    assert_eq!(got, want);
}

#[test]
fn forces_in_engage_when_their_latest_inspection_was_published() {
    let engine = engine();
    let mut want = Vec::new();
    for row in rows(&engine, "forces select name, published") {
        let (name, published) = (&row[0], &row[1]);
        if published.is_empty() {
            continue;
        }
        let (lo, hi) = span(published);
        if in_engage(name, lo, hi) == Some(true) {
            want.push(name.clone());
        }
    }
    assert_eq!(want.len(), 5, "{want:?}");
    let got: Vec<String> = rows(&engine, "forces as of published where engage select name")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(got, want);
}

#[test]
fn forces_never_in_engage_with_two_inadequate_grades_in_their_latest_inspection() {
    let engaged: BTreeSet<String> = moves().into_iter().map(|m| m.force).collect();
    let order: BTreeMap<String, u16> = data("programmes.csv")
        .into_iter()
        .map(|r| (r["programme"].clone(), r["start_year"].parse().expect("year")))
        .collect();
    // each force's latest programme with a grade on record, and its inadequate grades there
    let mut latest: BTreeMap<String, (u16, usize)> = BTreeMap::new();
    let grades = data("grades.csv");
    for g in grades.iter().filter(|g| g["grade"] != "not graded") {
        let year = order[&g["programme"]];
        let entry = latest.entry(g["force"].clone()).or_insert((year, 0));
        if year > entry.0 {
            *entry = (year, 0);
        }
    }
    for g in &grades {
        if latest[&g["force"]].0 == order[&g["programme"]] && g["grade"] == "inadequate" {
            latest.get_mut(&g["force"]).expect("force").1 += 1;
        }
    }
    let want: Vec<String> =
        latest.into_iter().filter(|(f, (_, n))| *n >= 2 && !engaged.contains(f)).map(|(f, _)| f).collect();
    assert!(!want.is_empty());
    let got: Vec<String> =
        rows(&engine(), "forces where engage_times = 0 and count(area = inadequate) >= 2 select name")
            .into_iter()
            .map(|r| r[0].clone())
            .collect();
    assert_eq!(got, want);
}

#[test]
fn forces_in_engage_at_the_end_of_each_year() {
    let forces: BTreeSet<String> = moves().into_iter().map(|m| m.force).collect();
    let mut want = Vec::new();
    for year in 2019..=2025u16 {
        let day = (year, 12, 31);
        let states: Vec<Option<bool>> = forces.iter().map(|f| in_engage(f, day, day)).collect();
        let yes = states.iter().filter(|s| **s == Some(true)).count();
        let unknown = states.iter().filter(|s| s.is_none()).count();
        want.push(vec![format!("{year}-12-31"), yes.to_string(), unknown.to_string()]);
    }
    // the snapshots SOURCES.md quotes: six in June 2022, four in December 2024
    assert_eq!(want[3][1], "6");
    assert_eq!(want[5][1], "4");
    let dates: Vec<String> = (2019..=2025).map(|y| format!("{y}-12-31")).collect();
    let q = format!(
        "forces as of {} group by as_of select as_of, count(engage), count(engage is null)",
        dates.join(", ")
    );
    assert_eq!(rows(&engine(), &q), want);
}

#[test]
fn the_golden_script_asks_the_same_questions() {
    let golden = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/bundled/engage.pql"),
    )
    .expect("golden script");
    for q in [
        "forces where engage select name, engage_since",
        "monitoring where event = entered select force",
        "forces as of published where engage",
        "forces where engage_times = 0 and count(area = inadequate) >= 2",
        "forces as of 2019-12-31, 2020-12-31, 2021-12-31, 2022-12-31, 2023-12-31, 2024-12-31, 2025-12-31",
    ] {
        assert!(golden.contains(q), "the golden script lost `{q}`");
    }
}
