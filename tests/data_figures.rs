//! The data figures the documents quote are generated from the bundled
//! data, never typed in: each sits between markers,
//!
//! ```text
//! <!--fig grades-->973<!--/fig-->
//! ```
//!
//! and this test computes every marked figure (and the coverage table of
//! `data/README.md`) from `data/` and fails when a document says otherwise.
//! After a data pass, `BLESS=1 cargo test --test data_figures` rewrites the
//! marked values in place; then read the diff, and the prose around it.
//!
//! Names: `grades`, `grades.<basis>`, `grades.<cycle>` (rows of a programme,
//! `<cycle>` being its name without "PEEL ", e.g. `2023-25`), `counts` and
//! `counts.<cycle>` (rows of `inspections.csv`), `core.<cycle>` (grades in
//! the eight core areas of a five-tier programme), `complete.<cycle>`
//! (forces with all eight), `theme.<theme>.<cycle>`, `undated.<cycle>`
//! (inspections with no known publication date), `areas`, `engage`,
//! `engage.forces`, `engage.<basis>`, and the block `coverage`.

use peelql::catalog::files::DataFiles;
use peelql::catalog::model::{Scale, Tables};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The documents that quote figures. `grammar/README.md` is generated from
/// its template, so both carry the same markers.
const DOCUMENTS: [&str; 4] =
    ["README.md", "data/README.md", "grammar/reference/README.tmpl.md", "grammar/README.md"];

/// Themes of a five-tier programme's areas that are not among its eight core areas.
const NOT_CORE: [&str; 3] = ["recording", "soc", "victims"];

const OPEN: &str = "<!--fig ";
const CLOSE: &str = "<!--/fig-->";

fn cycle(programme: &str) -> &str {
    programme.strip_prefix("PEEL ").unwrap_or(programme)
}

/// Every figure, by name, computed from the bundled files.
fn figures(t: &Tables, engage: &[csv::StringRecord]) -> BTreeMap<String, String> {
    fn add(f: &mut BTreeMap<String, usize>, name: String, n: usize) {
        *f.entry(name).or_default() += n;
    }
    let mut f: BTreeMap<String, usize> = BTreeMap::new();
    add(&mut f, "grades".into(), t.grades.len());
    add(&mut f, "counts".into(), t.counts.len());
    add(&mut f, "areas".into(), t.areas.len());
    let theme_of: BTreeMap<(&str, &str), &str> =
        t.areas.iter().map(|a| ((a.programme.as_str(), a.name.as_str()), a.theme.as_str())).collect();
    for p in &t.programmes {
        let c = cycle(&p.name);
        add(&mut f, format!("grades.{c}"), 0);
        add(&mut f, format!("counts.{c}"), 0);
        if p.scale == Scale::FiveTier {
            add(&mut f, format!("core.{c}"), 0);
            add(&mut f, format!("complete.{c}"), 0);
        }
    }
    for g in &t.grades {
        let c = cycle(&g.programme);
        let theme = theme_of[&(g.programme.as_str(), g.area.as_str())];
        add(&mut f, format!("grades.{}", g.basis.name()), 1);
        add(&mut f, format!("grades.{c}"), 1);
        add(&mut f, format!("theme.{theme}.{c}"), 1);
        if f.contains_key(&format!("core.{c}")) && !NOT_CORE.contains(&theme) {
            add(&mut f, format!("core.{c}"), 1);
        }
    }
    for n in &t.counts {
        add(&mut f, format!("counts.{}", cycle(&n.programme)), 1);
    }
    for p in t.programmes.iter().filter(|p| p.scale == Scale::FiveTier) {
        let c = cycle(&p.name);
        let complete = t.forces.iter().filter(|force| core_grades(t, &force.name, &p.name) == 8).count();
        add(&mut f, format!("complete.{c}"), complete);
    }
    // inspections with no known date, as the engine dates them (the
    // announced date, else the latest date of its grades)
    let ds = peelql::dataset::Dataset::build(t.clone()).expect("bundled data set");
    for insp in &ds.inspections {
        let c = cycle(&ds.catalog.programme(insp.programme).name).to_string();
        add(&mut f, format!("undated.{c}"), usize::from(insp.published.is_none()));
    }
    add(&mut f, "engage".into(), engage.len());
    add(&mut f, "engage.forces".into(), engage.iter().map(|r| &r[0]).collect::<BTreeSet<_>>().len());
    for r in engage {
        add(&mut f, format!("engage.{}", &r[5]), 1);
    }
    let mut out: BTreeMap<String, String> = f.into_iter().map(|(k, v)| (k, v.to_string())).collect();
    out.insert("coverage".into(), coverage(t));
    out
}

/// The number of core areas of `programme` graded for `force`.
fn core_grades(t: &Tables, force: &str, programme: &str) -> usize {
    let core: BTreeSet<&str> = t
        .areas
        .iter()
        .filter(|a| a.programme == programme && !NOT_CORE.contains(&a.theme.as_str()))
        .map(|a| a.name.as_str())
        .collect();
    t.grades
        .iter()
        .filter(|g| g.force == force && g.programme == programme && core.contains(g.area.as_str()))
        .count()
}

/// The coverage table of `data/README.md`, newest programme first.
fn coverage(t: &Tables) -> String {
    let forces = t.forces.len();
    let mut out =
        String::from("\n\n| Programme | Rows | Forces | Count rows | Coverage |\n|---|---:|---:|---:|---|\n");
    let mut programmes: Vec<_> = t.programmes.iter().collect();
    programmes.sort_by_key(|p| std::cmp::Reverse(p.start_year));
    for p in programmes {
        let rows: Vec<_> = t.grades.iter().filter(|g| g.programme == p.name).collect();
        let areas: Vec<_> = t.areas.iter().filter(|a| a.programme == p.name).collect();
        let graded_forces: BTreeSet<&str> = rows.iter().map(|g| g.force.as_str()).collect();
        let counts = t.counts.iter().filter(|c| c.programme == p.name).count();
        let in_theme = |theme: &str| {
            let names: BTreeSet<&str> =
                areas.iter().filter(|a| a.theme == theme).map(|a| a.name.as_str()).collect();
            rows.iter().filter(|g| names.contains(g.area.as_str())).count()
        };
        let text = if p.scale == Scale::FiveTier {
            let core = rows.len() - NOT_CORE.iter().map(|t| in_theme(t)).sum::<usize>();
            let complete = t.forces.iter().filter(|f| core_grades(t, &f.name, &p.name) == 8).count();
            let mut parts = vec![
                format!("{core} of {} core cells ({forces} forces × 8 core areas)", forces * 8),
                format!("{} recording-data rows", in_theme("recording")),
            ];
            if in_theme("soc") > 0 {
                parts.push(format!("{} SOC rows", in_theme("soc")));
            }
            parts.push(format!("{complete} forces have a complete 8-area set"));
            parts.push(match forces - graded_forces.len() {
                0 => "every force has at least one grade".to_string(),
                1 => "1 force has no grade".to_string(),
                n => format!("{n} forces have no grade"),
            });
            parts.join("; ")
        } else {
            let is_pillar =
                |area: &str| areas.iter().any(|a| a.name == area && a.pillar.as_deref() == Some(area));
            let graded_pillars: BTreeSet<&str> =
                rows.iter().filter(|g| is_pillar(&g.area)).map(|g| g.area.as_str()).collect();
            let pillar_rows = rows.iter().filter(|g| is_pillar(&g.area)).count();
            let other =
                if areas.iter().any(|a| a.name.contains(':')) { "sub-judgment" } else { "question-level" };
            format!(
                "{pillar_rows} of {} pillar cells ({forces} forces × {} graded pillar{}), plus {} {other} rows",
                forces * graded_pillars.len(),
                graded_pillars.len(),
                if graded_pillars.len() == 1 { "" } else { "s" },
                rows.len() - pillar_rows
            )
        };
        out.push_str(&format!(
            "| {} | {} | {} | {counts} | {text} |\n",
            p.name,
            rows.len(),
            graded_forces.len()
        ));
    }
    out.push('\n');
    out
}

/// The document with every marked figure set from `figures`, and its problems.
fn refresh(doc: &str, text: &str, figures: &BTreeMap<String, String>) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut problems = Vec::new();
    let mut rest = text;
    let mut marks = 0;
    while let Some(at) = rest.find(OPEN) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let Some(name_end) = from.find("-->") else {
            problems.push(format!("{doc}: an unclosed `{OPEN}` marker"));
            break;
        };
        let name = &from[OPEN.len()..name_end];
        let after_name = &from[name_end + 3..];
        let Some(value_end) = after_name.find(CLOSE) else {
            problems.push(format!("{doc}: figure `{name}` has no `{CLOSE}`"));
            break;
        };
        let value = &after_name[..value_end];
        marks += 1;
        let fresh = match figures.get(name) {
            Some(v) => v.as_str(),
            None => {
                problems.push(format!("{doc}: no figure is called `{name}`"));
                value
            }
        };
        if fresh != value {
            problems.push(format!("{doc}: `{name}` says {value:?}, the data {fresh:?}"));
        }
        out.push_str(&from[..name_end + 3]);
        out.push_str(fresh);
        out.push_str(CLOSE);
        rest = &after_name[value_end + CLOSE.len()..];
    }
    out.push_str(rest);
    if marks == 0 {
        problems.push(format!("{doc}: no marked figures (was a marker lost?)"));
    }
    (out, problems)
}

fn engage_rows(root: &Path) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(root.join("data/engage.csv")).expect("data/engage.csv");
    assert_eq!(
        reader.headers().unwrap(),
        vec!["force", "event", "date", "causes_of_concern", "source_url", "basis", "sentence"]
    );
    reader.records().map(|r| r.expect("an engage.csv row")).collect()
}

/// The fire and rescue figures of `data/README.md`, from `data/fire/grades.csv`
/// read directly: `fire.grades`, `fire.grades.<round>` (`<round>` being the
/// programme without "FRS ", e.g. `2023-25`), `fire.<basis>`,
/// `fire.services.<round>` (services with at least one grade) and
/// `fire.complete.2023-25` (services with all 11 round-3 areas).
fn fire_figures(root: &Path) -> BTreeMap<String, String> {
    let mut reader = csv::Reader::from_path(root.join("data/fire/grades.csv")).expect("data/fire/grades.csv");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a fire grades.csv row")).collect();
    let mut f: BTreeMap<String, usize> = BTreeMap::new();
    let mut services: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    let mut r3: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        let round = r[1].strip_prefix("FRS ").unwrap_or(&r[1]).to_string();
        *f.entry("fire.grades".into()).or_default() += 1;
        *f.entry(format!("fire.grades.{round}")).or_default() += 1;
        *f.entry(format!("fire.{}", &r[6])).or_default() += 1;
        if round == "2023-25" {
            *r3.entry(&r[0]).or_default() += 1;
        }
        services.entry(format!("fire.services.{round}")).or_default().insert(&r[0]);
    }
    f.insert("fire.complete.2023-25".into(), r3.values().filter(|n| **n == 11).count());
    let mut out: BTreeMap<String, String> = f.into_iter().map(|(k, v)| (k, v.to_string())).collect();
    out.extend(services.into_iter().map(|(k, v)| (k, v.len().to_string())));
    out
}

#[test]
fn the_documents_quote_the_data_as_it_is() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tables = DataFiles::bundled().to_tables().expect("bundled data");
    let mut figures = figures(&tables, &engage_rows(root));
    figures.extend(fire_figures(root));
    let bless = std::env::var_os("BLESS").is_some();
    let mut problems = Vec::new();
    for doc in DOCUMENTS {
        let path = root.join(doc);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{doc}: {e}"));
        let (fresh, mut found) = refresh(doc, &text, &figures);
        if bless && fresh != text {
            std::fs::write(&path, &fresh).unwrap();
            found.retain(|p| !p.contains("the data"));
        }
        problems.extend(found);
    }
    assert!(
        problems.is_empty(),
        "{}\n(BLESS=1 cargo test --test data_figures rewrites the stale ones)",
        problems.join("\n")
    );
}

/// The figures are what the data holds: a few checked by hand against the
/// fourth pass (`data/SOURCES.md`), and a stale or unknown marker is caught.
#[test]
fn figures_are_computed_and_stale_ones_are_caught() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tables = DataFiles::bundled().to_tables().expect("bundled data");
    let f = figures(&tables, &engage_rows(root));
    let get = |name: &str| f[name].as_str();
    assert_eq!(
        [get("grades"), get("grades.stated"), get("grades.elimination"), get("grades.inferred")],
        ["973", "891", "46", "36"]
    );
    assert_eq!([get("grades.2023-25"), get("core.2023-25"), get("complete.2023-25")], ["297", "277", "30"]);
    assert_eq!([get("grades.2021-22"), get("core.2021-22"), get("complete.2021-22")], ["229", "207", "21"]);
    assert_eq!([get("counts"), get("counts.2023-25"), get("counts.2021-22")], ["55", "30", "25"]);
    assert_eq!([get("theme.leadership.2021-22"), get("theme.leadership.2023-25")], ["25", "32"]);
    assert_eq!(get("undated.2023-25"), "4");
    assert_eq!(
        [get("engage"), get("engage.forces"), get("engage.stated"), get("engage.inferred")],
        ["23", "12", "22", "1"]
    );
    assert!(
        get("coverage").contains("| PEEL 2014 | 48 | 12 | 0 | 12 of 43 pillar cells"),
        "{}",
        get("coverage")
    );

    let (fixed, problems) =
        refresh("d", "a <!--fig grades-->948<!--/fig--> b <!--fig nope-->1<!--/fig-->", &f);
    assert_eq!(fixed, "a <!--fig grades-->973<!--/fig--> b <!--fig nope-->1<!--/fig-->");
    assert_eq!(problems, ["d: `grades` says \"948\", the data \"973\"", "d: no figure is called `nope`"]);
    assert_eq!(refresh("d", "no markers", &f).1, ["d: no marked figures (was a marker lost?)"]);
}
