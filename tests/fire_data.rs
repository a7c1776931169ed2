//! The fire and rescue data in `data/fire/` (issue 16, phase 1), read with
//! the csv crate alone: the gathered files' size pinned, every row's
//! provenance kept, and the curated files (names and aliases, programmes,
//! areas, themes with their pillar links, the merger, the commissioner
//! pairs) consistent with the gathered ones and with the police catalog.
//! The engine does not read these files yet; see `data/README.md`, "Fire
//! and rescue services".

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(name)
}

/// The rows of a CSV file as maps from header to value, after checking the header.
fn rows(name: &str, header: &[&str]) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let found: Vec<String> = reader.headers().expect("a header").iter().map(str::to_string).collect();
    assert_eq!(found, header, "{name}: header");
    reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{name}: {e}"));
            header.iter().map(|h| h.to_string()).zip(r.iter().map(str::to_string)).collect()
        })
        .collect()
}

const GRADES: [&str; 8] =
    ["service", "round", "published", "area", "grade", "source_url", "basis", "sentence"];
const SERVICES: [&str; 5] = ["service", "hmicfrs_slug", "region", "short_names_in_news", "notes"];
const NAMES: [&str; 6] = ["service", "name", "short_name", "aliases", "until", "successor"];
const PROGRAMMES: [&str; 6] = ["programme", "start_year", "end_year", "scale", "aliases", "source_url"];
const AREAS: [&str; 5] = ["programme", "area", "pillar", "question_text", "source_url"];
const THEMES: [&str; 3] = ["theme", "name", "aliases"];
const AREA_THEMES: [&str; 5] = ["programme", "area", "theme", "pillar_theme", "reasoning"];
const MERGERS: [&str; 5] = ["service", "successor", "date", "source_url", "sentence"];
const PAIRS: [&str; 6] = ["force", "service", "commissioner", "since", "source_url", "sentence"];

fn grades() -> Vec<BTreeMap<String, String>> {
    rows("fire/grades.csv", &GRADES)
}

fn split(aliases: &str) -> Vec<&str> {
    aliases.split(';').filter(|a| !a.is_empty()).collect()
}

fn count<'a>(items: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut out = BTreeMap::new();
    for i in items {
        *out.entry(i).or_default() += 1;
    }
    out
}

#[test]
fn the_gathered_files_hold_what_the_brief_and_the_notes_say() {
    let g = grades();
    assert_eq!(g.len(), 459);
    let per_round = count(g.iter().map(|r| r["round"].as_str()));
    assert_eq!(per_round, BTreeMap::from([("FRS 2018-19", 135), ("FRS 2021-22", 132), ("FRS 2023-25", 192)]));
    let basis = count(g.iter().map(|r| r["basis"].as_str()));
    assert_eq!(basis, BTreeMap::from([("stated", 398), ("elimination", 37), ("inferred", 24)]));
    let services_in = |round: &str| -> BTreeSet<&str> {
        g.iter().filter(|r| r["round"] == round).map(|r| r["service"].as_str()).collect()
    };
    assert_eq!(services_in("FRS 2018-19").len(), 45);
    assert_eq!(services_in("FRS 2021-22").len(), 44);
    assert_eq!(services_in("FRS 2023-25").len(), 33);
    // rounds 1 and 2: every service has all three pillars
    for round in ["FRS 2018-19", "FRS 2021-22"] {
        for s in services_in(round) {
            let n = g.iter().filter(|r| r["round"] == round && r["service"] == s).count();
            assert_eq!(n, 3, "{s} {round}");
        }
    }
    let r3 = count(g.iter().filter(|r| r["round"] == "FRS 2023-25").map(|r| r["service"].as_str()));
    let complete: Vec<&str> = r3.iter().filter(|(_, n)| **n == 11).map(|(s, _)| *s).collect();
    assert_eq!(
        complete,
        [
            "Avon",
            "Bedfordshire",
            "Buckinghamshire",
            "Cleveland",
            "County Durham and Darlington",
            "Cumbria",
            "Hereford and Worcester",
            "Nottinghamshire",
            "Oxfordshire",
            "Shropshire",
            "South Yorkshire",
            "Surrey"
        ]
    );
    assert_eq!(r3["Northamptonshire"], 8);
    assert!(r3.values().all(|n| *n <= 11));
    assert_eq!(rows("fire/services.csv", &SERVICES).len(), 46);
    let counts = std::fs::read_to_string(path("fire/r3counts.txt")).expect("r3counts.txt");
    assert_eq!(counts.lines().count(), 32);
    assert!(
        counts.lines().all(|l| l.split('\t').count() == 4),
        "r3counts.txt: four tab-separated fields a line"
    );
}

#[test]
fn every_grade_keeps_its_provenance_and_one_cell_has_one_grade() {
    let words = ["outstanding", "good", "adequate", "requires improvement", "inadequate"];
    let mut cells = BTreeSet::new();
    for (i, r) in grades().iter().enumerate() {
        let line = i + 2;
        assert!(words.contains(&r["grade"].as_str()), "line {line}: grade {:?}", r["grade"]);
        assert!(["stated", "elimination", "inferred"].contains(&r["basis"].as_str()), "line {line}");
        assert!(r["source_url"].starts_with("http"), "line {line}: source_url");
        assert!(!r["sentence"].trim().is_empty(), "line {line}: sentence");
        let p = &r["published"];
        assert!(p.is_empty() || [4, 7, 10].contains(&p.len()), "line {line}: published {p:?}");
        assert!(
            cells.insert((r["service"].clone(), r["round"].clone(), r["area"].clone())),
            "line {line}: twice"
        );
        // elimination and inferred rows exist only in round 3 (SOURCES.md, "Basis")
        if r["basis"] != "stated" {
            assert_eq!(r["round"], "FRS 2023-25", "line {line}");
        }
    }
}

#[test]
fn programmes_areas_and_scales_fit_the_grades() {
    let programmes = rows("fire/programmes.csv", &PROGRAMMES);
    let scale: BTreeMap<&str, &str> =
        programmes.iter().map(|p| (p["programme"].as_str(), p["scale"].as_str())).collect();
    assert_eq!(
        scale,
        BTreeMap::from([
            ("FRS 2018-19", "four-tier"),
            ("FRS 2021-22", "four-tier"),
            ("FRS 2023-25", "five-tier")
        ])
    );
    let areas = rows("fire/areas.csv", &AREAS);
    assert_eq!(areas.len(), 17);
    let known: BTreeSet<(&str, &str)> =
        areas.iter().map(|a| (a["programme"].as_str(), a["area"].as_str())).collect();
    assert_eq!(known.len(), areas.len(), "an area twice");
    assert_eq!(areas.iter().filter(|a| a["programme"] == "FRS 2023-25").count(), 11);
    for r in grades() {
        assert!(
            known.contains(&(r["round"].as_str(), r["area"].as_str())),
            "{} {} {}",
            r["service"],
            r["round"],
            r["area"]
        );
        if scale[r["round"].as_str()] == "four-tier" {
            assert_ne!(
                r["grade"], "adequate",
                "{} {}: adequate on a four-tier scale",
                r["service"], r["round"]
            );
        }
    }
    for a in &areas {
        assert!(["Effectiveness", "Efficiency", "People"].contains(&a["pillar"].as_str()), "{:?}", a["area"]);
        assert!(a["source_url"].starts_with("https://"));
    }
    // fire programme aliases never take a police programme's name or alias,
    // and never a bare year: `in 2021` stays police
    let police =
        rows("programmes.csv", &["programme", "start_year", "end_year", "scale", "aliases", "source_url"]);
    let police_names: BTreeSet<String> = police
        .iter()
        .flat_map(|p| {
            std::iter::once(p["programme"].to_lowercase())
                .chain(split(&p["aliases"]).into_iter().map(str::to_string))
        })
        .collect();
    let mut seen = BTreeSet::new();
    for p in &programmes {
        for a in split(&p["aliases"]) {
            assert_eq!(a, a.to_lowercase().trim(), "alias {a:?}");
            assert!(a.starts_with("frs ") || a.starts_with("fire "), "alias {a:?} must say frs or fire");
            assert!(!police_names.contains(a), "alias {a:?} is police");
            assert!(seen.insert(a.to_string()), "alias {a:?} twice");
        }
    }
}

#[test]
fn services_have_one_canonical_name_and_unambiguous_aliases() {
    let services = rows("fire/services.csv", &SERVICES);
    let names = rows("fire/service_names.csv", &NAMES);
    let order =
        |rows: &[BTreeMap<String, String>]| rows.iter().map(|r| r["service"].clone()).collect::<Vec<_>>();
    assert_eq!(
        order(&services),
        order(&names),
        "service_names.csv lists services.csv's services in its order"
    );
    let graded: BTreeSet<String> = grades().into_iter().map(|r| r["service"].clone()).collect();
    assert_eq!(graded, order(&names).into_iter().collect(), "every service has grades");
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for n in &names {
        for word in [n["name"].to_lowercase(), n["short_name"].to_lowercase()] {
            if let Some(other) = taken.insert(word.clone(), n["service"].clone()) {
                assert_eq!(other, n["service"], "{word:?} names two services");
            }
        }
    }
    for n in &names {
        for a in split(&n["aliases"]) {
            assert_eq!(a, a.to_lowercase().trim(), "alias {a:?}");
            if let Some(other) = taken.insert(a.to_string(), n["service"].clone()) {
                panic!("alias {a:?} of {} is also {other}", n["service"]);
            }
        }
    }
    // the short names the brief asks for
    let of = |alias: &str| taken.get(alias).map(String::as_str);
    assert_eq!(of("lfb"), Some("London Fire Brigade"));
    assert_eq!(of("bucks"), Some("Buckinghamshire"));
    assert_eq!(of("hants"), Some("Hampshire and Isle of Wight"));
    // initialisms several services share are left out (data/README.md)
    for shared in ["bfrs", "cfrs", "hfrs", "nfrs", "sfrs"] {
        assert_eq!(of(shared), None, "{shared:?} is shared by several services");
    }
}

#[test]
fn the_merger_is_curated_and_matches_the_rounds() {
    let mergers = rows("fire/mergers.csv", &MERGERS);
    let names = rows("fire/service_names.csv", &NAMES);
    let ended: Vec<(&str, &str)> = names
        .iter()
        .filter(|n| !n["successor"].is_empty())
        .map(|n| (n["service"].as_str(), n["successor"].as_str()))
        .collect();
    assert_eq!(
        ended,
        [("Hampshire", "Hampshire and Isle of Wight"), ("Isle of Wight", "Hampshire and Isle of Wight")]
    );
    let merged: Vec<(&str, &str)> =
        mergers.iter().map(|m| (m["service"].as_str(), m["successor"].as_str())).collect();
    assert_eq!(merged, ended);
    let g = grades();
    let rounds = |s: &str| -> BTreeSet<String> {
        g.iter().filter(|r| r["service"] == s).map(|r| r["round"].clone()).collect()
    };
    for (old, new) in ended {
        assert_eq!(rounds(old), BTreeSet::from(["FRS 2018-19".to_string()]), "{old} graded after the merger");
        assert!(!rounds(new).contains("FRS 2018-19"), "{new} graded before it existed");
    }
    assert!(mergers.iter().all(|m| m["source_url"].starts_with("https://") && !m["sentence"].is_empty()));
}

#[test]
fn every_area_has_a_theme_and_a_pillar_link() {
    let areas = rows("fire/areas.csv", &AREAS);
    let links = rows("fire/area_themes.csv", &AREA_THEMES);
    let themes = rows("fire/themes.csv", &THEMES);
    let key = |r: &BTreeMap<String, String>| (r["programme"].clone(), r["area"].clone());
    assert_eq!(areas.iter().map(key).collect::<Vec<_>>(), links.iter().map(key).collect::<Vec<_>>());
    let defined: BTreeSet<&str> = themes.iter().map(|t| t["theme"].as_str()).collect();
    let pillar_themes: BTreeMap<&str, &str> = BTreeMap::from([
        ("Effectiveness", "fire_effectiveness"),
        ("Efficiency", "fire_efficiency"),
        ("People", "fire_people"),
    ]);
    let mut per_programme = BTreeSet::new();
    for (a, l) in areas.iter().zip(&links) {
        assert!(defined.contains(l["theme"].as_str()), "{:?}", l["theme"]);
        assert!(
            per_programme.insert((l["programme"].clone(), l["theme"].clone())),
            "a theme twice in {}",
            l["programme"]
        );
        assert_eq!(
            pillar_themes[a["pillar"].as_str()],
            l["pillar_theme"],
            "{}: pillar and link agree",
            a["area"]
        );
        assert!(!l["reasoning"].trim().is_empty(), "{}: reasoning", a["area"]);
    }
    let used: BTreeSet<&str> = links.iter().map(|l| l["theme"].as_str()).collect();
    assert_eq!(used, defined, "every theme is used");
    // the round-3 areas under each pillar: 5, 2, 4
    let r3 =
        count(links.iter().filter(|l| l["programme"] == "FRS 2023-25").map(|l| l["pillar_theme"].as_str()));
    assert_eq!(r3, BTreeMap::from([("fire_effectiveness", 5), ("fire_efficiency", 2), ("fire_people", 4)]));
    // theme aliases: unique, lower case, and the words the brief names find their area
    let mut alias_of = BTreeMap::new();
    for t in &themes {
        for a in split(&t["aliases"]) {
            assert_eq!(a, a.to_lowercase().trim());
            assert!(alias_of.insert(a, t["theme"].as_str()).is_none(), "theme alias {a:?} twice");
        }
    }
    for (word, theme) in [
        ("prevention", "fire_prevention"),
        ("protection", "fire_protection"),
        ("fire safety", "fire_protection"),
        ("culture", "fire_culture"),
        ("diversity", "fire_diversity"),
        ("affordability", "fire_affordability"),
        ("response", "fire_response"),
    ] {
        assert_eq!(alias_of.get(word), Some(&theme), "{word:?}");
    }
    // fire theme keys never take a police theme's key
    let police = rows("themes.csv", &THEMES);
    for p in &police {
        assert!(!defined.contains(p["theme"].as_str()), "{:?} is a police theme", p["theme"]);
    }
}

#[test]
fn commissioner_pairs_are_curated_with_a_source_each() {
    let pairs = rows("fire/pairs.csv", &PAIRS);
    let forces =
        rows("forces.csv", &["force", "short_name", "region", "country", "source_url", "region_source"]);
    let short: BTreeMap<&str, &str> =
        forces.iter().map(|f| (f["force"].as_str(), f["short_name"].as_str())).collect();
    let services: BTreeSet<String> =
        rows("fire/service_names.csv", &NAMES).into_iter().map(|n| n["service"].clone()).collect();
    let listed: Vec<&str> = pairs.iter().map(|p| p["service"].as_str()).collect();
    assert_eq!(listed, ["Essex", "Staffordshire", "Northamptonshire", "North Yorkshire", "Cumbria"]);
    for p in &pairs {
        let force_short =
            short.get(p["force"].as_str()).unwrap_or_else(|| panic!("{:?} is no force", p["force"]));
        assert!(services.contains(&p["service"]), "{:?} is no service", p["service"]);
        assert_eq!(*force_short, p["service"], "a pair of the same name");
        assert!(p["source_url"].starts_with("https://"), "{}: source", p["service"]);
        assert!(
            p["sentence"].contains("Commissioner") || p["sentence"].contains("run both"),
            "{}",
            p["service"]
        );
    }
}
