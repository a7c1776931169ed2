//! Tests of import checking: the rules on names, declarations, conflicts and
//! file shapes, over the bundled data in memory.

use super::*;
use crate::Engine;
use crate::catalog::files::DataFiles;
use crate::export::ExportFormat;
use crate::value::Grade;

fn bundled() -> Dataset {
    Dataset::build(DataFiles::bundled().to_tables().expect("bundled")).expect("bundled")
}

fn csv(text: &str) -> ImportSource {
    ImportSource::new("t.csv", text, ImportFormat::Csv)
}

fn json(text: &str) -> ImportSource {
    ImportSource::new("t.json", text, ImportFormat::Json)
}

fn problems(source: &ImportSource) -> Vec<String> {
    match plan(&bundled(), source, &ImportOptions::default(), "NOW") {
        Ok(p) => panic!("expected problems, got {}", p.summary),
        Err(list) => list.iter().map(ToString::to_string).collect(),
    }
}

fn summary(source: &ImportSource, options: ImportOptions) -> ImportSummary {
    match plan(&bundled(), source, &options, "NOW") {
        Ok(p) => p.summary,
        Err(list) => panic!("{}", list.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
    }
}

const HEADER: &str = "force,programme,published,area,grade,source_url,basis\n";

#[test]
fn names_are_stored_as_the_catalog_writes_them() {
    let src = csv(&format!(
        "{HEADER}kent,peel 2023, 2025-06 ,leadership and force management,RI,https://x,Stated\n"
    ));
    let p = plan(&bundled(), &src, &ImportOptions::default(), "NOW").expect("plan");
    let last = p.dataset.tables().grades.last().expect("a grade").clone();
    assert_eq!(
        (last.force.as_str(), last.programme.as_str(), last.area.as_str()),
        ("Kent Police", "PEEL 2023-25", "Leadership and force management")
    );
    assert_eq!(last.grade, Some(Grade::RequiresImprovement));
    assert_eq!(last.published.map(|d| d.to_string()).as_deref(), Some("2025-06"));
    assert_eq!(p.summary.to_string(), "t.csv: 1 row: 1 added, 0 changed, 0 unchanged");
}

#[test]
fn the_whole_bundled_grades_file_is_unchanged() {
    let s = summary(&csv(&DataFiles::bundled().grades), ImportOptions::default());
    let n = bundled().grades.len();
    assert_eq!((s.rows, s.added, s.changed, s.unchanged), (n, 0, 0, n));
    assert!(s.is_noop());
}

#[test]
fn rows_of_one_file_may_not_repeat_or_contradict_each_other() {
    let row = "Kent Police,PEEL 2023-25,2025-06,Managing offenders,good,https://x,stated\n";
    let other = "kent,PEEL 2023-25,2025-06,managing offenders,inadequate,https://x,stated\n";
    let got = problems(&csv(&format!("{HEADER}{row}{row}{other}")));
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[0].starts_with("t.csv:3:") && got[0].contains("is given again, as on line 2"), "{got:#?}");
    assert!(got[1].starts_with("t.csv:4:") && got[1].contains("conflicts with line 2"), "{got:#?}");
}

#[test]
fn replace_keeps_the_old_row_in_the_history() {
    let src = csv(&format!(
        "{HEADER}Cambridgeshire Constabulary,PEEL 2023-25,2025-01,Managing offenders,good,https://new,stated\n"
    ));
    let refused = problems(&src);
    assert!(refused[0].contains("column `grade`: the store has \"inadequate\""), "{refused:#?}");
    let p = plan(&bundled(), &src, &ImportOptions { replace: true, dry_run: false }, "2025-01-02T03:04:05Z")
        .expect("plan");
    assert_eq!((p.summary.changed, p.summary.replaced.len()), (1, 1));
    let history = &p.dataset.tables().history;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].previous.grade, Some(Grade::Inadequate));
    assert_eq!(
        (history[0].replaced_at.as_str(), history[0].replaced_by.as_str()),
        ("2025-01-02T03:04:05Z", "t.csv")
    );
    assert_eq!(history[0], p.summary.replaced[0]);
}

#[test]
fn declarations_must_match_what_is_held_and_not_clash() {
    let got = problems(&csv("\
kind,programme,start_year,end_year,scale,aliases,theme,name,area
programme,PEEL 2023-25,2023,2025,four-tier,,,,
programme,PEEL 2031,2031,2031,five-tier,peel 2021,,,
programme,PEEL 2032,2032,2030,five-tier,,,,
theme,,,,,,responding,Something else,
theme,,,,,sex offenders,newtheme,New theme,
area,PEEL 2023-25,,,,,offenders,,Managing sex offenders
area,PEEL 2033,,,,,responding,,Anything
area,PEEL 2023-25,,,,,respondin,,Another
"));
    let expect = [
        "t.csv:2:",
        "column `scale`: \"PEEL 2023-25\" is already a programme",
        "t.csv:3:",
        "column `aliases`: the alias \"peel 2021\" already names PEEL 2021-22",
        "t.csv:4:",
        "column `end_year`: the cycle ends (2030) before it starts (2032)",
        "t.csv:5:",
        "column `name`: \"responding\" is already a theme",
        "t.csv:6:",
        "column `aliases`: \"sex offenders\" already names the theme \"offenders\"",
        "t.csv:7:",
        "PEEL 2023-25 already has an area of the theme \"offenders\": \"Managing offenders\"",
        "t.csv:8:",
        "column `programme`: no programme is called \"PEEL 2033\"",
        "t.csv:9:",
        "column `theme`: no theme is called \"respondin\"; did you mean `responding`?",
    ];
    assert_eq!(got.len(), 8, "{got:#?}");
    for (line, pair) in got.iter().zip(expect.chunks(2)) {
        assert!(line.starts_with(pair[0]) && line.contains(pair[1]), "expected {pair:?}, got {line}");
    }
}

#[test]
fn a_new_programme_with_its_areas_and_grades_lands_in_one_file() {
    let text = "\
kind,force,programme,published,area,grade,source_url,basis,start_year,end_year,scale,aliases,theme,name,pillar,question_text
programme,,PEEL 2025-27,,,,,,2025,2027,five-tier,peel 2025-27,,,,
area,,peel 2025-27,,Responding to the public,,https://f,,,,,,999,,,How good is the force at responding?
grade,met,PEEL 2025-27,2026-01,Responding to the public,adequate,https://m,stated,,,,,,,,
";
    let p = plan(&bundled(), &csv(text), &ImportOptions::default(), "NOW").expect("plan");
    assert_eq!(
        p.summary.to_string(),
        "t.csv: 1 row: 1 added, 0 changed, 0 unchanged; new: 1 programme, 1 area"
    );
    let engine = Engine::from_dataset(p.dataset);
    let rows =
        engine.query(r#"grades in peel 2025-27 where area("999") select force, grade"#).expect("query");
    assert_eq!(rows.rows.len(), 1);
    assert_eq!(rows.rows[0][0].to_string(), "Metropolitan Police Service");
    // a four-tier programme refuses adequate
    let four = text.replace("five-tier", "four-tier");
    let got = problems(&csv(&four));
    assert!(got[0].contains("\"adequate\" is not on the four-tier scale of PEEL 2025-27"), "{got:#?}");
}

#[test]
fn columns_and_kinds_are_checked_with_suggestions() {
    let got = problems(&csv("force,programme,published,area,grdae,source_url,basis\n"));
    assert_eq!(
        got,
        ["t.csv:1:32: column `grdae`: \"grdae\" is not a column of an import file; did you mean `grade`?"]
    );

    let got = problems(&csv("kind,force,programme,area,grade,source_url,basis,scale\n\
        progamme,,,,,,,\n\
        grade,Kent Police,PEEL 2023-25,Managing offenders,good,https://x,stated,five-tier\n"));
    assert!(
        got[0].contains(
            "t.csv:2:1: column `kind`: \"progamme\" is not a kind of row; did you mean `programme`?"
        ),
        "{got:#?}"
    );
    assert!(
        got[1].contains("t.csv:3:") && got[1].contains("grade rows do not use the column `scale`"),
        "{got:#?}"
    );

    let got = problems(&csv("kind,programme,start_year\nprogramme,PEEL 2040,2040\n"));
    assert!(
        got[0].starts_with("t.csv:1:1: column `end_year`: programme rows (the first is on line 2) need"),
        "{got:#?}"
    );
}

#[test]
fn json_problems_point_into_the_json() {
    let got = problems(&json("{\"grades\": [{\"force\": \"Kent Police\"}], \"gradse\": []}"));
    assert!(
        got.iter().any(
            |p| p.starts_with("t.json:1:13: column `programme`: this grade object lacks programme, area")
        ),
        "{got:#?}"
    );
    assert!(
        got.iter().any(|p| p.contains("\"gradse\" is not a part of an import file; did you mean `grades`?")),
        "{got:#?}"
    );

    let got = problems(&json(
        "[{\"force\": \"Kent Police\", \"programme\": \"PEEL 2023-25\", \"area\": \"Managing offenders\",\n \"grade\": true, \"source_url\": \"\", \"basis\": \"stated\", \"colour\": 1}]",
    ));
    assert!(
        got.iter().any(|p| p.starts_with("t.json:2:11: column `grade`: `grade` must be text")),
        "{got:#?}"
    );
    assert!(got.iter().any(|p| p.contains("grade objects have no field \"colour\"")), "{got:#?}");

    let got = problems(&json("{\"grades\": [\n  {\"force\": \"Kent Police\",}\n]}"));
    assert!(got[0].starts_with("t.json:2:") && got[0].contains("not valid JSON"), "{got:#?}");
}

#[test]
fn export_imports_back_to_the_same_tables() {
    let ds = bundled();
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let text = crate::export::export(ds.tables(), format).expect("export");
        let (name, fmt) = match format {
            ExportFormat::Csv => ("all.csv", ImportFormat::Csv),
            ExportFormat::Json => ("all.json", ImportFormat::Json),
        };
        let p =
            plan(&ds, &ImportSource::new(name, text, fmt), &ImportOptions::default(), "NOW").expect("plan");
        assert!(p.summary.is_noop(), "{}", p.summary);
        assert_eq!(p.dataset.tables(), ds.tables());
    }
}

#[test]
fn an_engine_swaps_its_data_only_after_a_whole_import() {
    let engine = std::sync::Arc::new(Engine::in_memory().expect("engine"));
    let before = engine.dataset();
    let n = before.grades.len();
    let session = engine.session();
    let rows = format!(
        "{HEADER}Kent Police,PEEL 2023-25,2025-06,Managing offenders,good,https://x,stated\n\
         Kent Police,PEEL 2023-25,2025-06,Police powers and public treatment,good,https://x,stated\n"
    );
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let engine = std::sync::Arc::clone(&engine);
            std::thread::spawn(move || {
                for _ in 0..20 {
                    let seen = engine.query("grades in all select force").expect("query").rows.len();
                    assert!(seen == n || seen == n + 2, "a query saw {seen} grades, not {n} or {}", n + 2);
                }
            })
        })
        .collect();
    let s = engine.import(&csv(&rows), &ImportOptions::default()).expect("import");
    assert!(s.written);
    for r in readers {
        r.join().expect("reader");
    }
    assert_eq!(engine.query("grades in all select force").expect("query").rows.len(), n + 2);
    // what was taken before the import is as it was
    assert_eq!(before.grades.len(), n);
    drop(session);
    // a dry run and a no-op write nothing
    let again = engine.import(&csv(&rows), &ImportOptions::default()).expect("again");
    assert!(!again.written && again.unchanged == 2);
}
