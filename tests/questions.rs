//! The ten questions of issue 11 that must have one-statement answers
//! (`tests/golden/bundled/questions.pql`, `examples/ten_questions.pql`):
//! each statement's answer over the bundled data is checked against an
//! independent computation over `data/*.csv`, read here with the `csv`
//! crate and nothing of PeelQL's — no catalog, no data set, no query.

use peelql::{Engine, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// One row of `data/grades.csv`.
struct Grade {
    force: String,
    programme: String,
    area: String,
    /// 1 (inadequate) … 5 (outstanding); none for "not graded".
    rank: Option<i64>,
    basis: String,
}

/// The CSV files, read plainly.
struct Data {
    grades: Vec<Grade>,
    /// force → region
    regions: BTreeMap<String, String>,
    /// programme names, oldest first
    programmes: Vec<String>,
    /// (programme, area) → theme
    themes: HashMap<(String, String), String>,
}

fn records(file: &str) -> Vec<HashMap<String, String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(file);
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
        })
        .collect()
}

fn data() -> Data {
    let rank = |g: &str| match g {
        "outstanding" => Some(5),
        "good" => Some(4),
        "adequate" => Some(3),
        "requires improvement" => Some(2),
        "inadequate" => Some(1),
        "not graded" | "" => None,
        other => panic!("grade {other:?}"),
    };
    let grades = records("grades.csv")
        .into_iter()
        .map(|r| Grade {
            force: r["force"].clone(),
            programme: r["programme"].clone(),
            area: r["area"].clone(),
            rank: rank(&r["grade"]),
            basis: r["basis"].clone(),
        })
        .collect();
    let regions =
        records("forces.csv").into_iter().map(|r| (r["force"].clone(), r["region"].clone())).collect();
    let mut programmes: Vec<(i64, String)> = records("programmes.csv")
        .into_iter()
        .map(|r| (r["start_year"].parse().unwrap(), r["programme"].clone()))
        .collect();
    programmes.sort();
    let themes = records("area_themes.csv")
        .into_iter()
        .map(|r| ((r["programme"].clone(), r["area"].clone()), r["theme"].clone()))
        .collect();
    Data { grades, regions, programmes: programmes.into_iter().map(|(_, p)| p).collect(), themes }
}

impl Data {
    fn order(&self, programme: &str) -> usize {
        self.programmes.iter().position(|p| p == programme).unwrap()
    }

    /// The grades on record (graded) of `force` in `programme`.
    fn graded<'a>(&'a self, force: &'a str, programme: &'a str) -> impl Iterator<Item = &'a Grade> + 'a {
        self.grades.iter().filter(move |g| g.force == force && g.programme == programme && g.rank.is_some())
    }

    /// The programmes in which `force` has a grade on record, oldest first.
    fn graded_programmes(&self, force: &str) -> Vec<String> {
        let mut ps: Vec<String> = self
            .grades
            .iter()
            .filter(|g| g.force == force && g.rank.is_some())
            .map(|g| g.programme.clone())
            .collect();
        ps.sort_by_key(|p| self.order(p));
        ps.dedup();
        ps
    }

    /// Each force's score (the mean grade) in its latest graded inspection.
    fn latest_scores(&self) -> BTreeMap<String, f64> {
        self.regions
            .keys()
            .filter_map(|f| {
                let latest = self.graded_programmes(f).pop()?;
                let ranks: Vec<i64> = self.graded(f, &latest).filter_map(|g| g.rank).collect();
                Some((f.clone(), ranks.iter().sum::<i64>() as f64 / ranks.len() as f64))
            })
            .collect()
    }
}

fn engine() -> Engine {
    Engine::in_memory().expect("bundled data loads")
}

/// The rows of `src` as text, one vector per row.
fn answer(e: &Engine, src: &str) -> Vec<Vec<Value>> {
    let rows = e.query(src).unwrap_or_else(|err| panic!("{src}: {err}"));
    assert!(rows.warnings.is_empty(), "{src}: {:?}", rows.warnings);
    rows.rows
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_else(|| panic!("not text: {v:?}")).to_string()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v:?}"))
}

/// The statements, from the golden file, by question number.
fn statements() -> Vec<String> {
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/bundled/questions.pql"),
    )
    .unwrap();
    let body: String =
        src.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
    let qs: Vec<String> = body.split(';').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    assert_eq!(qs.len(), 10, "ten questions");
    qs
}

/// `x` rounded to `places`, half away from zero, as PeelQL prints it.
fn printed(x: f64, places: i32) -> f64 {
    let m = 10f64.powi(places);
    (x * m).abs().round().copysign(x) / m
}

#[test]
fn q1_share_of_forces_inadequate_per_area() {
    let d = data();
    let mut expected: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for g in d.grades.iter().filter(|g| g.programme == "PEEL 2023-25" && g.rank.is_some()) {
        let e = expected.entry(g.area.clone()).or_default();
        e.0 += 1;
        e.1 += usize::from(g.rank == Some(1));
    }
    let rows = answer(&engine(), &statements()[0]);
    assert_eq!(rows.len(), expected.len());
    for r in rows {
        let (graded, inadequate) = expected[&text(&r[0])];
        assert_eq!(num(&r[1]) as usize, graded, "{r:?}");
        let exact = 100.0 * inadequate as f64 / graded as f64;
        assert!((num(&r[2]) - exact).abs() <= 0.05 + 1e-9, "{r:?}: {exact}");
    }
}

#[test]
fn q2_areas_with_more_than_five_inadequate() {
    let d = data();
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for g in d.grades.iter().filter(|g| g.programme == "PEEL 2023-25" && g.rank == Some(1)) {
        *counts.entry(g.area.clone()).or_default() += 1;
    }
    let expected: Vec<(String, i64)> = counts.into_iter().filter(|(_, n)| *n > 5).collect();
    assert!(!expected.is_empty());
    let got: Vec<(String, i64)> =
        answer(&engine(), &statements()[1]).iter().map(|r| (text(&r[0]), num(&r[1]) as i64)).collect();
    assert_eq!(got, expected);
}

#[test]
fn q3_above_the_national_average() {
    let d = data();
    let scores = d.latest_scores();
    let national = scores.values().sum::<f64>() / scores.len() as f64;
    // comparisons use the places shown: two for scores and their average
    let expected: BTreeSet<String> = scores
        .iter()
        .filter(|(_, s)| printed(**s, 2) > printed(national, 2))
        .map(|(f, _)| f.clone())
        .collect();
    let rows = answer(&engine(), &statements()[2]);
    let got: BTreeSet<String> = rows.iter().map(|r| text(&r[0])).collect();
    assert_eq!(got, expected);
    assert!(got.len() > 5 && got.len() < scores.len());
    for r in &rows {
        assert!((num(&r[2]) - scores[&text(&r[0])]).abs() < 0.005 + 1e-9, "{r:?}");
    }
}

#[test]
fn q4_never_inadequate() {
    let d = data();
    let inadequate: BTreeSet<&str> =
        d.grades.iter().filter(|g| g.rank == Some(1)).map(|g| g.force.as_str()).collect();
    let expected: Vec<String> =
        d.regions.keys().filter(|f| !inadequate.contains(f.as_str())).cloned().collect();
    let got: Vec<String> = answer(&engine(), &statements()[3]).iter().map(|r| text(&r[0])).collect();
    assert_eq!(got, expected);
}

#[test]
fn q5_ranked_by_good_or_better_ties_sharing() {
    let d = data();
    let counts: BTreeMap<String, i64> = d
        .regions
        .keys()
        .map(|f| (f.clone(), d.graded(f, "PEEL 2023-25").filter(|g| g.rank >= Some(4)).count() as i64))
        .collect();
    // a force's rank: one more than the number of forces with more
    let rank = |n: i64| 1 + counts.values().filter(|m| **m > n).count() as i64;
    let rows = answer(&engine(), &statements()[4]);
    assert_eq!(rows.len(), counts.len());
    for r in &rows {
        let force = text(&r[1]);
        assert_eq!(num(&r[2]) as i64, counts[&force], "{r:?}");
        assert_eq!(num(&r[0]) as i64, rank(counts[&force]), "{r:?}");
    }
    // ties share a place and the next place skips
    let places: Vec<i64> = rows.iter().map(|r| num(&r[0]) as i64).collect();
    assert!(places.windows(2).any(|w| w[0] == w[1]), "{places:?}");
    assert!(places.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn q6_score_minus_region_average() {
    let d = data();
    let scores = d.latest_scores();
    let mut by_region: HashMap<&str, Vec<f64>> = HashMap::new();
    for (f, s) in &scores {
        by_region.entry(d.regions[f].as_str()).or_default().push(*s);
    }
    let rows = answer(&engine(), &statements()[5]);
    assert_eq!(rows.len(), d.regions.len());
    for r in &rows {
        let force = text(&r[0]);
        match scores.get(&force) {
            Some(s) => {
                let region = &by_region[d.regions[&force].as_str()];
                let exact = s - region.iter().sum::<f64>() / region.len() as f64;
                assert!((num(&r[3]) - exact).abs() <= 0.005 + 1e-9, "{r:?}: {exact}");
            }
            None => assert!(r[3].is_null(), "{r:?}"),
        }
    }
}

#[test]
fn q7_regions_with_a_force_inadequate_at_responding() {
    let d = data();
    let mut expected: BTreeSet<String> = BTreeSet::new();
    for f in d.regions.keys() {
        let Some(latest) = d.graded_programmes(f).pop() else { continue };
        let bad = d.graded(f, &latest).any(|g| {
            d.themes.get(&(g.programme.clone(), g.area.clone())).map(String::as_str) == Some("responding")
                && g.rank == Some(1)
        });
        if bad {
            expected.insert(d.regions[f].clone());
        }
    }
    let got: Vec<String> = answer(&engine(), &statements()[6]).iter().map(|r| text(&r[0])).collect();
    assert_eq!(got, expected.into_iter().collect::<Vec<_>>(), "each region once, in order");
}

#[test]
fn q8_improved_and_declined_since_the_previous_inspection() {
    let d = data();
    let rows = answer(&engine(), &statements()[7]);
    let mut checked = 0;
    for r in &rows {
        let force = text(&r[0]);
        let ps = d.graded_programmes(&force);
        let (improved, declined) = match ps.as_slice() {
            [.., previous, latest] => {
                let before: HashMap<&str, i64> = d
                    .graded(&force, previous)
                    .filter_map(|g| {
                        Some((d.themes.get(&(g.programme.clone(), g.area.clone()))?.as_str(), g.rank?))
                    })
                    .collect();
                let mut up = 0;
                let mut down = 0;
                for g in d.graded(&force, latest) {
                    let theme = d.themes.get(&(g.programme.clone(), g.area.clone())).map(String::as_str);
                    if let (Some(was), Some(now)) = (theme.and_then(|t| before.get(t)), g.rank) {
                        up += i64::from(now > *was);
                        down += i64::from(now < *was);
                    }
                }
                (up, down)
            }
            _ => (0, 0),
        };
        assert_eq!((num(&r[1]) as i64, num(&r[2]) as i64), (improved, declined), "{force}");
        checked += 1;
    }
    assert_eq!(checked, d.regions.len());
    assert!(rows.iter().any(|r| num(&r[1]) > 0.0) && rows.iter().any(|r| num(&r[2]) > 0.0));
}

#[test]
fn q9_inadequate_in_the_same_area_in_both_programmes() {
    let d = data();
    let inadequate = |p: &str| -> BTreeSet<(String, String)> {
        d.grades
            .iter()
            .filter(|g| g.programme == p && g.rank == Some(1))
            .map(|g| (g.force.clone(), d.themes[&(g.programme.clone(), g.area.clone())].clone()))
            .collect()
    };
    let expected: Vec<(String, String)> =
        inadequate("PEEL 2021-22").intersection(&inadequate("PEEL 2023-25")).cloned().collect();
    assert!(!expected.is_empty());
    let got: Vec<(String, String)> =
        answer(&engine(), &statements()[8]).iter().map(|r| (text(&r[0]), text(&r[1]))).collect();
    assert_eq!(got, expected);
}

#[test]
fn q10_percentage_stated_per_programme() {
    let d = data();
    let rows = answer(&engine(), &statements()[9]);
    let got: Vec<String> = rows.iter().map(|r| text(&r[0])).collect();
    assert_eq!(got, d.programmes);
    for r in &rows {
        let of: Vec<&Grade> = d.grades.iter().filter(|g| g.programme == text(&r[0])).collect();
        let stated = of.iter().filter(|g| g.basis == "stated").count();
        assert_eq!(num(&r[1]) as usize, of.len(), "{r:?}");
        let exact = 100.0 * stated as f64 / of.len() as f64;
        assert!((num(&r[2]) - exact).abs() <= 0.05 + 1e-9, "{r:?}: {exact}");
    }
}

#[test]
fn the_example_script_asks_the_same_ten() {
    let example =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ten_questions.pql"))
            .unwrap();
    for q in statements() {
        assert!(example.contains(&format!("{q};")), "examples/ten_questions.pql lacks `{q}`");
    }
}
