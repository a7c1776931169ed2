//! The one-statement questions of issue 16, item 3, answered over the data
//! files with the csv crate alone and pinned: the answers the `services`
//! source must give once the engine reads `data/fire/` (the language half of
//! issue 16 is not built yet; see `data/README.md`, "Fire and rescue
//! services"). The police side of the last question is read from
//! `data/grades.csv` the same way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Row = BTreeMap<String, String>;

fn rows(name: &str) -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(name);
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| header.iter().cloned().zip(r.expect("a row").iter().map(str::to_string)).collect())
        .collect()
}

/// inadequate 1 … outstanding 5, as the engine's `score` ranks grades.
fn rank(grade: &str) -> Option<u8> {
    ["inadequate", "requires improvement", "adequate", "good", "outstanding"]
        .iter()
        .position(|g| *g == grade)
        .map(|i| i as u8 + 1)
}

/// What a service's grade in an area was in a round, following the merger:
/// a service inspected under its own name has its own grade; a successor's
/// grade before it existed is its predecessors' grade when they all agree,
/// and no answer (the grades listed) when they do not. Never a guess.
#[derive(Debug, PartialEq)]
enum Then {
    Grade(String),
    NoOneAnswer(Vec<(String, String)>),
    Missing,
}

fn then(grades: &[Row], mergers: &[Row], service: &str, round: &str, area: &str) -> Then {
    let own = |s: &str| {
        grades
            .iter()
            .find(|r| r["service"] == s && r["round"] == round && r["area"] == area)
            .map(|r| r["grade"].clone())
    };
    if let Some(g) = own(service) {
        return Then::Grade(g);
    }
    let before: Vec<(String, String)> = mergers
        .iter()
        .filter(|m| m["successor"] == service)
        .filter_map(|m| own(&m["service"]).map(|g| (m["service"].clone(), g)))
        .collect();
    let distinct: BTreeSet<&String> = before.iter().map(|(_, g)| g).collect();
    match distinct.len() {
        0 => Then::Missing,
        1 => Then::Grade(before[0].1.clone()),
        _ => Then::NoOneAnswer(before),
    }
}

#[test]
fn services_graded_inadequate_in_any_pillar_in_2021_22() {
    let found: BTreeSet<(String, String)> = rows("fire/grades.csv")
        .into_iter()
        .filter(|r| r["round"] == "FRS 2021-22" && r["grade"] == "inadequate")
        .map(|r| (r["service"].clone(), r["area"].clone()))
        .collect();
    let expect = [
        ("Cumbria", "Efficiency"),
        ("Gloucestershire", "People"),
        ("North Yorkshire", "Efficiency"),
        ("North Yorkshire", "People"),
    ];
    assert_eq!(found, expect.iter().map(|(s, a)| (s.to_string(), a.to_string())).collect());
}

#[test]
fn services_whose_people_grade_got_worse_from_2018_19_to_2021_22() {
    let grades = rows("fire/grades.csv");
    let mergers = rows("fire/mergers.csv");
    let current: BTreeSet<String> =
        grades.iter().filter(|r| r["round"] == "FRS 2021-22").map(|r| r["service"].clone()).collect();
    let mut worse = Vec::new();
    for s in &current {
        let (Then::Grade(now), before) = (
            then(&grades, &mergers, s, "FRS 2021-22", "People"),
            then(&grades, &mergers, s, "FRS 2018-19", "People"),
        ) else {
            panic!("{s}: every service has a 2021-22 People grade");
        };
        match before {
            Then::Grade(b) if rank(&now) < rank(&b) => worse.push((s.as_str(), b, now)),
            Then::Grade(_) => {}
            other => panic!("{s}: {other:?}"),
        }
    }
    let names: Vec<&str> = worse.iter().map(|(s, _, _)| *s).collect();
    assert_eq!(
        names,
        ["Buckinghamshire", "Cornwall", "Derbyshire", "Gloucestershire", "North Yorkshire", "Staffordshire"]
    );
    assert_eq!(worse[3], ("Gloucestershire", "requires improvement".into(), "inadequate".into()));
    // Hampshire and Isle of Wight: its 2018-19 is its two predecessors', which
    // agree in every pillar, so each history question has one answer here
    for (pillar, grade) in
        [("Effectiveness", "good"), ("Efficiency", "good"), ("People", "requires improvement")]
    {
        assert_eq!(
            then(&grades, &mergers, "Hampshire and Isle of Wight", "FRS 2018-19", pillar),
            Then::Grade(grade.into()),
            "{pillar}"
        );
    }
    // and where predecessors disagree there is no one answer, never a guess
    let mut split = grades.clone();
    for r in split.iter_mut() {
        if r["service"] == "Isle of Wight" && r["area"] == "People" {
            r.insert("grade".into(), "good".into());
        }
    }
    assert_eq!(
        then(&split, &mergers, "Hampshire and Isle of Wight", "FRS 2018-19", "People"),
        Then::NoOneAnswer(vec![
            ("Hampshire".into(), "requires improvement".into()),
            ("Isle of Wight".into(), "good".into())
        ])
    );
}

#[test]
fn services_per_grade_for_each_pillar_in_the_first_two_rounds() {
    let mut n: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for r in rows("fire/grades.csv").into_iter().filter(|r| r["round"] != "FRS 2023-25") {
        *n.entry((r["round"].clone(), r["area"].clone(), r["grade"].clone())).or_default() += 1;
    }
    let got: Vec<String> = n.iter().map(|((r, a, g), c)| format!("{r} {a} {g} {c}")).collect();
    assert_eq!(
        got,
        [
            "FRS 2018-19 Effectiveness good 29",
            "FRS 2018-19 Effectiveness requires improvement 16",
            "FRS 2018-19 Efficiency good 26",
            "FRS 2018-19 Efficiency inadequate 1",
            "FRS 2018-19 Efficiency requires improvement 18",
            "FRS 2018-19 People good 18",
            "FRS 2018-19 People inadequate 2",
            "FRS 2018-19 People requires improvement 25",
            "FRS 2021-22 Effectiveness good 26",
            "FRS 2021-22 Effectiveness outstanding 1",
            "FRS 2021-22 Effectiveness requires improvement 17",
            "FRS 2021-22 Efficiency good 18",
            "FRS 2021-22 Efficiency inadequate 2",
            "FRS 2021-22 Efficiency outstanding 3",
            "FRS 2021-22 Efficiency requires improvement 21",
            "FRS 2021-22 People good 23",
            "FRS 2021-22 People inadequate 2",
            "FRS 2021-22 People requires improvement 19",
        ]
    );
    // every pillar of each round sums to its services: 45, then 44
    for (round, services) in [("FRS 2018-19", 45), ("FRS 2021-22", 44)] {
        for pillar in ["Effectiveness", "Efficiency", "People"] {
            let sum: usize =
                n.iter().filter(|((r, a, _), _)| r == round && a == pillar).map(|(_, c)| c).sum();
            assert_eq!(sum, services, "{round} {pillar}");
        }
    }
}

#[test]
fn round_3_services_with_an_inadequate_area_and_their_areas_on_record() {
    let r3: Vec<Row> = rows("fire/grades.csv").into_iter().filter(|r| r["round"] == "FRS 2023-25").collect();
    let bad: BTreeSet<&str> =
        r3.iter().filter(|r| r["grade"] == "inadequate").map(|r| r["service"].as_str()).collect();
    let got: Vec<(&str, usize)> =
        bad.iter().map(|s| (*s, r3.iter().filter(|r| r["service"] == *s).count())).collect();
    assert_eq!(got, [("Avon", 11), ("Buckinghamshire", 11), ("Hertfordshire", 3), ("Shropshire", 11)]);
}

#[test]
fn forces_and_services_of_one_commissioner_side_by_side() {
    let police = rows("grades.csv");
    let fire = rows("fire/grades.csv");
    let order =
        ["PEEL 2014", "PEEL 2015", "PEEL 2016", "PEEL 2017", "PEEL 2018-19", "PEEL 2021-22", "PEEL 2023-25"];
    // (programme, score to two places, grades on record) of the latest round with a grade
    let latest =
        |rows: &[Row], who: &str, name: &str, pos: &dyn Fn(&str) -> usize| -> (String, String, usize) {
            let mine: Vec<&Row> =
                rows.iter().filter(|r| r[who] == name && rank(&r["grade"]).is_some()).collect();
            let prog_col = if who == "force" { "programme" } else { "round" };
            let last = mine.iter().map(|r| r[prog_col].as_str()).max_by_key(|p| pos(p)).expect("a grade");
            let ranks: Vec<u8> =
                mine.iter().filter(|r| r[prog_col] == last).filter_map(|r| rank(&r["grade"])).collect();
            let score = f64::from(ranks.iter().map(|r| u32::from(*r)).sum::<u32>()) / ranks.len() as f64;
            (last.to_string(), format!("{score:.2}"), ranks.len())
        };
    let peel = |p: &str| order.iter().position(|o| *o == p).expect("a police programme");
    // fire rounds order by their first year: "FRS 2023-25" → 2023
    let frs = |p: &str| p.trim_start_matches("FRS ").get(..4).and_then(|y| y.parse().ok()).expect("a year");
    let got: Vec<String> = rows("fire/pairs.csv")
        .iter()
        .map(|p| {
            let (fp, fs, fn_) = latest(&police, "force", &p["force"], &peel);
            let (sp, ss, sn) = latest(&fire, "service", &p["service"], &frs);
            format!("{} | {fp} {fs} ({fn_}) | {} | {sp} {ss} ({sn})", p["force"], p["service"])
        })
        .collect();
    assert_eq!(
        got,
        [
            "Essex Police | PEEL 2023-25 3.11 (9) | Essex | FRS 2023-25 3.00 (6)",
            "Staffordshire Police | PEEL 2023-25 2.75 (8) | Staffordshire | FRS 2023-25 4.50 (2)",
            "Northamptonshire Police | PEEL 2023-25 3.11 (9) | Northamptonshire | FRS 2023-25 3.00 (8)",
            "North Yorkshire Police | PEEL 2023-25 3.56 (9) | North Yorkshire | FRS 2023-25 4.00 (3)",
            "Cumbria Constabulary | PEEL 2023-25 4.33 (3) | Cumbria | FRS 2023-25 2.91 (11)",
        ]
    );
}
