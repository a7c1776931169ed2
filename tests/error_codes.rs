//! `grammar/ERRORS.md` is the list of error and warning codes. Every
//! example there triggers its code (a warning's example runs, and gives
//! its warning), and every code in `src/` is listed there.

use peelql::{Engine, Params};
use std::path::Path;

/// (code, example) for each table row whose example is a query in backticks.
fn rows() -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/ERRORS.md")).unwrap();
    text.lines()
        .filter(|l| l.starts_with("| `peelql::"))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let code = cells[0].trim_start_matches("| ").trim_matches('`').to_string();
            let example =
                cells.last().unwrap().trim_end_matches(" |").trim_end_matches('|').trim().to_string();
            (code, example)
        })
        .collect()
}

/// Every code the runs of `src` give, in order.
fn codes_of(engine: &Engine, code: &str, src: &str) -> Vec<String> {
    let result = if code.ends_with("::empty") || code.ends_with("::several_statements") {
        engine.query(src).map(|_| ())
    } else {
        engine.session().run_script(src, &Params::new(), |_, _| {})
    };
    match result {
        Ok(()) => vec![],
        Err(e) => e.problems().map(|p| p.code_str().to_string()).collect(),
    }
}

#[test]
fn every_example_gives_its_code() {
    let engine = Engine::in_memory().unwrap();
    let mut checked = 0;
    for (code, example) in rows() {
        let Some(src) = example.strip_prefix('`').and_then(|e| e.strip_suffix('`')) else { continue };
        if !code.starts_with("peelql::parse")
            && !code.starts_with("peelql::resolve")
            && !code.starts_with("peelql::type")
        {
            continue;
        }
        let got = codes_of(&engine, &code, src);
        assert!(got.contains(&code), "`{src}` should give {code}, gave {got:?}");
        checked += 1;
    }
    let deep = format!("forces where {}score > 3", "(".repeat(65));
    assert_eq!(codes_of(&engine, "", &deep), ["peelql::parse::too_deep"]);
    assert!(checked >= 38, "only {checked} examples checked");
}

/// Every warning code the statements of `src` give, in order; the run
/// must succeed (a warning never stops a query).
fn warnings_of(engine: &Engine, src: &str) -> Vec<String> {
    let mut codes = Vec::new();
    engine
        .session()
        .run_script(src, &Params::new(), |_, out| codes.extend(out.warnings().iter().map(|w| w.code.clone())))
        .unwrap_or_else(|e| panic!("`{src}` should run with a warning, but failed: {e}"));
    codes
}

#[test]
fn every_warning_example_runs_and_gives_its_warning() {
    let engine = Engine::in_memory().unwrap();
    let mut checked = 0;
    for (code, example) in rows() {
        if !code.starts_with("peelql::warning::") {
            continue;
        }
        // an example over other data than the bundled (a merger whose
        // predecessors differ) is run by the test it names
        let Some(src) = example.strip_prefix('`').and_then(|e| e.strip_suffix('`')) else {
            assert!(example.contains("(tests/"), "{code}: an example that is not a query names its test");
            continue;
        };
        let got = warnings_of(&engine, src);
        assert!(got.contains(&code), "`{src}` should warn {code}, gave {got:?}");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} warning examples checked");
}

#[test]
fn queries_that_are_not_suspicious_give_no_warning() {
    let engine = Engine::in_memory().unwrap();
    for src in [
        r#"forces where area("sex offenders") = inadequate select name"#,
        r#"grades where force = "cambs" and grade = inadequate"#,
        r#"grades where force = "met""#,
        r#"forces where region = "West Midlands" select name"#,
        // a parameter compared with a constant is a script's choice
        r#"forces where $all = "yes" or region = "Wales" select name"#,
        r#"forces where every area at least good and graded = announced select name"#,
        r#"forces select name, count(area = inadequate) as inadequate order by inadequate desc"#,
    ] {
        let mut session = engine.session();
        let params = Params::new().with("all", "no");
        let mut codes = Vec::new();
        session
            .run_script(src, &params, |_, out| codes.extend(out.warnings().iter().map(|w| w.code.clone())))
            .unwrap();
        assert!(codes.is_empty(), "`{src}` warned {codes:?}");
    }
}

#[test]
fn every_code_in_the_source_is_listed() {
    let listed: Vec<String> = rows().into_iter().map(|(c, _)| c).collect();
    let mut missing = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices("\"peelql::") {
                let rest = &text[i + 1..];
                let code = &rest[..rest.find('"').unwrap()];
                if !code.contains(' ')
                    && !listed.iter().any(|l| l == code)
                    && !missing.contains(&code.to_string())
                {
                    missing.push(code.to_string());
                }
            }
        }
    }
    assert!(missing.is_empty(), "codes not in grammar/ERRORS.md: {missing:?}");
}
