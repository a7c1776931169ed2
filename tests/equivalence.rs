//! The engine's fast paths give what its general machinery gives, on a
//! synthetic data set (the benchmark's generator, a few thousand cells):
//! index lookups against scans, grade counts against evaluating each area,
//! `order by … limit` against sorting everything, text compared in place
//! against text values.

#[path = "../benches/versus_sqlite/synth.rs"]
#[allow(dead_code)]
mod synth;

use peelql::{Engine, Rows};

fn engine() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().expect("temp dir");
    synth::generate(dir.path(), 4_000, 11).expect("generate");
    let engine = Engine::from_dir(dir.path()).expect("synthetic data loads");
    (dir, engine)
}

fn run(engine: &Engine, q: &str) -> Rows {
    engine.query(q).unwrap_or_else(|e| panic!("{q}: {e:?}"))
}

fn same(engine: &Engine, fast: &str, general: &str) {
    let (a, b) = (run(engine, fast), run(engine, general));
    assert_eq!(a.rows, b.rows, "\n  {fast}\n  {general}");
}

#[test]
fn fast_paths_agree_with_the_general_ones() {
    let (_dir, engine) = engine();
    let grades = ["inadequate", "requires improvement", "adequate", "good", "outstanding"];
    let ops = ["=", "<", "<=", ">", ">=", "!="];
    let mut checked = 0;
    for scope in ["", " in all", " in peel 2021", " in peel 2017"] {
        for g in grades {
            for op in ops {
                // an indexed condition against the same condition hidden from the planner
                for (source, cols) in [
                    ("forces", "name, programme"),
                    ("inspections", "force, programme"),
                    ("grades", "force, area, grade"),
                ] {
                    let cond = format!(r#"area("responding") {op} {g}"#);
                    let fast = format!("{source}{scope} where {cond} select {cols}");
                    let general = format!("{source}{scope} where not not ({cond}) select {cols}");
                    same(&engine, &fast, &general);
                    checked += 1;
                }
                // grade counts against evaluating each area: `area op g` as
                // the list of grades it lets through
                let passing: Vec<&str> = grades
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| {
                        let want = grades.iter().position(|x| *x == g).unwrap_or(0);
                        match op {
                            "=" => *i == want,
                            "<" => *i < want,
                            "<=" => *i <= want,
                            ">" => *i > want,
                            ">=" => *i >= want,
                            _ => *i != want,
                        }
                    })
                    .map(|(_, x)| *x)
                    .collect();
                if passing.is_empty() {
                    continue;
                }
                let listed = format!("area in ({})", passing.join(", "));
                for (fast, general) in [
                    (format!("count(area {op} {g}) >= 2"), format!("count({listed}) >= 2")),
                    (format!("any area {op} {g}"), format!("any {listed}")),
                    (format!("every area {op} {g}"), format!("every {listed}")),
                ] {
                    same(
                        &engine,
                        &format!("forces{scope} where {fast} select name"),
                        &format!("forces{scope} where {general} select name"),
                    );
                    checked += 1;
                }
            }
        }
        // grades of one area, every grade and none
        same(
            &engine,
            &format!(r#"grades{scope} where area("investigating") group by grade select grade, count()"#),
            &format!(
                r#"grades{scope} where not not area("investigating") group by grade select grade, count()"#
            ),
        );
    }
    assert!(checked > 400);
}

#[test]
fn limits_take_the_first_rows_of_the_full_order() {
    let (_dir, engine) = engine();
    for (order, cols) in [
        ("score desc", "name, score"),
        ("score", "name, score"),
        ("region, score desc", "name, region, score"),
        ("graded desc, name", "name, graded"),
        ("published", "name, published"),
    ] {
        for scope in ["", " in all"] {
            let all = run(&engine, &format!("forces{scope} order by {order} select {cols}"));
            for n in [0, 1, 10, 37] {
                let top = run(&engine, &format!("forces{scope} order by {order} limit {n} select {cols}"));
                assert_eq!(top.rows, all.rows[..n.min(all.rows.len())], "{order} limit {n}");
            }
        }
    }
    // the default columns too, which depend on the rows kept
    let all = run(&engine, "forces order by score desc");
    let top = run(&engine, "forces order by score desc limit 5");
    assert_eq!(top.rows.len(), 5);
    for (a, b) in top.rows.iter().zip(&all.rows) {
        assert_eq!(a[..3], b[..3]);
    }
}

#[test]
fn text_compared_in_place_agrees_with_text_values() {
    let (_dir, engine) = engine();
    run(&engine, "forces select name, region");
    for cond in [
        r#"name ~ "shire""#,
        r#"name ~ "SHIRE""#,
        r#"name !~ "ford""#,
        r#"short < "M""#,
        r#"short >= "north""#,
        r#"short = "MELSHIRE""#,
        r#"region = "wales""#,
        r#"region != "London""#,
        r#"region in ("wales", "eastern")"#,
        r#"short in ("x", "melshire")"#,
        r#"name ~ """#,
    ] {
        let fast = format!("forces where {cond} select name, short, region");
        let session_script = format!("let t = forces select name, short, region; t where {cond}");
        let mut session = engine.session();
        let mut last = None;
        session
            .run_script(&session_script, &peelql::Params::new(), |_, out| last = Some(out))
            .unwrap_or_else(|e| panic!("{cond}: {e:?}"));
        let Some(peelql::StatementOutput::Rows(general)) = last else { panic!("{cond}: no rows") };
        assert_eq!(run(&engine, &fast).rows, general.rows, "{cond}");
    }
}
