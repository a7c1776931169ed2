//! Snapshot tests of rendered diagnostics: real mistakes, each run over the
//! bundled data as `peelql -c` would run it, and rendered in the plain
//! theme (ASCII, no colour, 100 columns) that piped stderr gets; and the
//! warnings of queries that run but look suspicious, rendered the same way
//! (snapshots `warnings__…`), one case at least for every warning code.
//!
//! A snapshot is the contract for what a user reads. When a message is
//! improved on purpose, review and accept the new text:
//! `INSTA_UPDATE=always cargo test --test diagnostics`, then read the diff
//! of `tests/snapshots/`.

use peelql::report::{Style, render, render_warning};
use peelql::{Engine, Params};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::in_memory().expect("bundled data loads"))
}

/// Runs `src` as a script named `name` and renders its error.
fn diagnose(name: &str, src: &str) -> String {
    let params = params();
    let mut session = engine().session();
    match session.run_script(src, &params, |_, _| {}) {
        Ok(()) => panic!("{name}: `{src}` ran without an error"),
        Err(e) => render(&e.with_source(name, src), &Style::plain(100)),
    }
}

fn params() -> Params {
    let mut params = Params::new();
    params.set("area", Params::parse_value("responding"));
    params.set("region", Params::parse_value("Eastern"));
    params
}

/// Runs `src` as a script named `name`; it must succeed. Renders every
/// statement's warnings, under a line saying how many rows it gave.
fn warnings(name: &str, src: &str) -> String {
    let mut session = engine().session();
    let mut out = String::new();
    session
        .run_script(src, &params(), |stmt, o| {
            let what = match &o {
                peelql::StatementOutput::Rows(r) => rows(r.len()),
                peelql::StatementOutput::Bound { name, rows: n, .. } => format!("bound {name}: {}", rows(*n)),
                peelql::StatementOutput::Text(_) => "text".to_string(),
            };
            out.push_str(&format!("-- {}: {what}\n", stmt.span.text(src).unwrap_or("").trim()));
            for w in o.warnings() {
                out.push_str(&render_warning(w, name, src, &Style::plain(100)));
            }
        })
        .unwrap_or_else(|e| panic!("{name}: `{src}` failed: {e}"));
    out
}

fn rows(n: usize) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

/// (snapshot name, input) of queries that run but warn.
const WARNING_CASES: &[(&str, &str)] = &[
    ("constant_comparison", r#"forces where "status" = "engage""#),
    ("constant_comparison_of_a_quoted_column", r#"forces where "region" = "Wales" select name"#),
    ("constant_comparison_true", "forces where 1 = 1 select name limit 2"),
    ("constant_comparison_in_list", "grades where good in (good, adequate) select force limit 1"),
    ("constant_filter", "forces where false"),
    ("empty_subquery", "forces where score > (forces where score > 9 select score) select name"),
    (
        "division_by_zero",
        r#"forces where region = "Wales" select name, graded / (announced - announced) as share"#,
    ),
    ("partial_force_name", r#"grades where force = "Thames" select force, area limit 2"#),
    ("force_or_region", r#"grades where force = "West Midlands" select force limit 1"#),
    ("as_of_after_record", "forces as of 2026-01-01 where engage select name"),
    ("every_on_incomplete", "forces where every area at least good select name, graded, announced"),
    (
        "every_on_incomplete_in_select",
        r#"forces where region = "North West" select name, every area at least adequate as all_adequate"#,
    ),
    (
        "script_warnings_on_lines_2_and_3",
        "-- a script: each statement's warnings point into it\nlet thames = grades where force = \"Thames\";\nthames where \"grade\" = \"good\" select area;\n",
    ),
];

/// (snapshot name, input). Every one is a mistake a user really makes.
const CASES: &[(&str, &str)] = &[
    // ---- the issue's must-show ----
    ("must_show_area_and_grade", r#"forces where area("sex ofenders") = inadequat"#),
    ("sql_select_star", "SELECT * FROM forces"),
    // ---- numbers ----
    ("number_ending_in_a_point", "forces where score >= 3."),
    // ---- misspelt words ----
    ("misspelt_grade", "grades where grade = inadequat"),
    ("misspelt_grade_requires", "grades where grade = requires"),
    ("misspelt_area", r#"forces where area("responsing") = inadequate"#),
    ("misspelt_force", r#"grades where force = "cambridgshire""#),
    ("misspelt_source", r#"forcs where region = "Wales""#),
    ("misspelt_column", r#"forces where regoin = "Wales""#),
    ("misspelt_function", r#"forces where area("responding") < prevous(area("responding"))"#),
    ("misspelt_parameter", "forces where area($aera) = inadequate"),
    ("misspelt_region", r#"forces where region = "Eastren""#),
    ("misspelt_programme", "forces in peel 2020"),
    ("misspelt_keyword_where", r#"forces wher region = "Wales""#),
    ("misspelt_keyword_order", "forces where score > 3 oder by score"),
    ("misspelt_two_keywords", r#"forces wher region = "Wales" selct name"#),
    ("order_by_as_one_word", "forces orderby score"),
    ("misspelt_and", r#"forces where region = "Wales" adn score > 3"#),
    ("misspelt_at_least", r#"forces where area("responding") at lest good"#),
    ("misspelt_better_than", r#"forces where area("responding") better then adequate"#),
    ("misspelt_show_topic", "show forcs"),
    ("show_nothing", "show"),
    (
        "several_misspellings",
        r#"forces where area("responsing") = inadequat and regoin = "Wales" select nme"#,
    ),
    // ---- ambiguous and out-of-scope names ----
    ("ambiguous_area", r#"forces where area("crime") = good"#),
    ("ambiguous_force", r#"grades where force = "north""#),
    ("area_not_in_scope", r#"forces where area("legitimacy") = good"#),
    ("area_on_its_own", "forces where area = inadequate"),
    ("grade_on_forces", "forces where grade = good"),
    ("programme_after_where", r#"forces where region = "Wales" in all"#),
    // ---- other languages' habits ----
    ("double_equals", r#"forces where region == "Wales""#),
    ("sql_select_where", "SELECT name FROM forces WHERE region = 'Wales'"),
    ("sql_select_group", "SELECT grade, COUNT(*) FROM grades GROUP BY grade"),
    ("sql_like", "forces where name LIKE '%North%'"),
    ("sql_having", "grades group by area select area, count() as n having n > 5"),
    ("sql_count_distinct", "grades where grade = inadequate select count(distinct force)"),
    ("distinct_order_by_a_column_it_drops", "forces select distinct region order by score desc"),
    ("then_without_a_clause", "forces select name then"),
    ("stage_names_a_column_it_lacks", "forces select name, score then where region = \"Wales\""),
    ("sql_not_like", "forces where name NOT LIKE 'West%'"),
    ("sql_and_and", r#"forces where region = "Wales" && score > 3"#),
    ("sql_or_or", r#"forces where region = "Wales" || region = "Eastern""#),
    ("sql_between", "grades where grade between good and outstanding"),
    ("order_descending", "forces order by score descending"),
    ("select_star", "forces select *"),
    ("count_star", "grades group by grade select grade, count(*)"),
    ("where_first", "where grade = good"),
    ("curly_quotes", "forces where name = \u{201c}Wales\u{201d}"),
    ("unquoted_text", "forces where region = Wales"),
    ("limit_with_two_numbers", "forces limit 5 5"),
    ("compared_with_null", r#"forces where region != null"#),
    ("desc_after_limit", r#"grades where force = "cambs" select force, area limit 3 desc"#),
    // ---- quotes and parentheses ----
    ("missing_closing_quote", r#"grades where force = "cambs"#),
    ("missing_opening_quote", r#"grades where force = cambs""#),
    ("unclosed_paren", r#"forces where (region = "Wales" or region = "Eastern""#),
    ("unclosed_call", r#"forces where area("responding" = inadequate"#),
    ("unclosed_nested", "forces where ((score > 3"),
    ("unclosed_before_select", "forces where (score > 3 select name"),
    ("unclosed_in_list", r#"forces where region in ("Wales", "Eastern""#),
    ("stray_close_paren", "forces where score > 3)"),
    (
        "too_deep",
        "forces where ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((score > 3",
    ),
    // ---- incomplete conditions and clauses ----
    ("trailing_and", r#"forces where region = "Wales" and"#),
    ("trailing_or", r#"forces where region = "Wales" or"#),
    ("empty_where", "forces where"),
    ("where_and", r#"forces where and region = "Wales""#),
    ("empty_select", "forces select"),
    ("empty_limit", "forces limit"),
    ("missing_value", r#"forces where area("responding") ="#),
    ("missing_operator", r#"forces where area("responding") inadequate"#),
    ("group_without_by", "grades group grade"),
    ("duplicate_where", r#"forces where score > 3 where region = "Wales""#),
    ("several_parse_errors", "forces where grade == good and (score > or name LIKE '%x%' limit"),
    ("impossible_date", "grades where published > 2024-02-30"),
    // ---- types ----
    ("grade_vs_date", "grades where grade = 2024-03-13"),
    ("grade_vs_text", r#"grades where grade = "splendid""#),
    ("number_vs_text", r#"forces where score > "3""#),
    ("aggregate_in_where", "forces where count() > 2"),
    ("aggregate_in_group_by", "grades group by max(grade)"),
    ("non_grade_at_least", r#"forces where area("responding") at least 3"#),
    ("limit_text", r#"forces limit "ten""#),
    ("limit_word", "forces limit ten"),
    ("limit_negative", "forces limit -1"),
    ("limit_decimal", "forces limit 2.5"),
    ("not_a_condition", r#"forces where area("responding")"#),
    ("not_grouped", "grades group by force select force, grade"),
    ("count_beside_a_column", r#"forces where region = "Wales" select name, count()"#),
    ("contains_on_grade", r#"grades where grade ~ "good""#),
    ("previous_of_name", r#"forces where previous(name) = "x""#),
    ("area_two_arguments", r#"forces where area("a", "b") = good"#),
    ("area_not_a_string", "forces where area(responding) = good"),
    ("year_of_grade", "grades where year(grade) = 2024"),
    ("any_area_on_areas", "areas where any area = inadequate"),
    // ---- subqueries ----
    ("subquery_with_two_columns", "forces where name in (grades select force, area)"),
    ("subquery_value_with_many_rows", "forces where score > (forces select score)"),
    ("subquery_of_another_type", "forces where score in (grades select grade)"),
    ("subquery_unclosed", "forces where name in (grades select force"),
    ("subquery_in_sql", "forces where score > (select avg(score) from forces) select name"),
    ("subquery_bare_source", "forces where name in (grades)"),
    // ---- windows ----
    ("aggregate_in_where_against_the_whole", "forces where score > avg(score) select name"),
    ("rank_without_an_order", "forces select name, rank() order by score desc"),
    ("aggregate_of_an_aggregate", "grades group by force select force, avg(count())"),
    ("aggregate_inside_rank", "forces select name, rank(count() desc)"),
    ("window_in_a_grouped_stage", "grades group by area select area, count() as n, rank(area)"),
    ("window_in_group_by", "forces group by rank(score desc) select count()"),
    ("per_a_quoted_column", r#"forces select name, score - avg(score) per "region""#),
    ("per_after_a_quantifier", "forces select name, count(area = good) per region"),
    // ---- arithmetic ----
    ("arithmetic_on_a_grade", r#"forces select name, area("responding") + 1"#),
    ("arithmetic_on_text", "forces select name + 1"),
    ("operator_without_operand", "forces select score *"),
    ("round_places_not_a_number", "forces select round(score, score)"),
    // ---- sorting by a constant ----
    ("order_by_a_grade_word", "forces select name order by good"),
    ("order_by_position", "forces select name, score order by 2 desc"),
    ("order_by_quoted_column", r#"forces select name order by "score" desc"#),
    ("order_by_parameter", "forces select name, score order by $area"),
    // ---- places are not forces ----
    ("force_is_a_region", r#"grades where force = "London""#),
    ("force_is_part_of_region_names", r#"grades where force = "Midlands""#),
    ("force_is_a_country", r#"forces where name = "England""#),
    ("force_is_a_region_and_two_forces", r#"grades where force = "Wales""#),
    ("force_parameter_is_a_region", "grades where force = $region"),
    // ---- Engage ----
    ("monitoring_in_a_programme", "monitoring in peel 2021"),
    ("as_of_on_monitoring", "monitoring as of 2022-06-30"),
    ("as_of_a_year", "forces as of 2019 where engage"),
    ("as_of_several_on_grades", "grades as of 2020-12-31, 2021-12-31"),
    ("as_of_without_of", "forces as 2022-06-30 where engage"),
    ("misspelt_event", r#"monitoring where event = "enterd""#),
    ("forces_in_a_fire_programme", "forces in frs 2021 where score > 3"),
    ("services_in_a_police_query", "forces where name in (services select name)"),
    ("services_in_a_police_programme", "services in peel 2021"),
    (
        "police_area_asked_of_services",
        r#"services in frs 2023 where area("responding to the public") = good"#,
    ),
    (
        "police_area_of_services_no_fire_match",
        r#"services where area("protecting vulnerable people") = good"#,
    ),
    ("kind_of_the_other_kind", r#"grades where force = "kent" and kind = "fire and rescue service""#),
    ("monitoring_in_a_fire_query", "services where name in (monitoring select force)"),
    (
        "fire_let_in_a_police_subquery",
        "let bad = services in frs 2021 where any area = inadequate;\nforces where name in (bad select name)",
    ),
    ("show_force_of_a_service", r#"show force "LFB""#),
    ("show_service_misspelt", r#"show service "Cumbira""#),
    (
        "police_let_in_a_fire_subquery",
        "let kent = forces where name = \"kent\";\nservices where name in (kent select name)",
    ),
    ("bare_event_word", "monitoring where event = engaged"),
    ("bare_event_word_scan_misspelt", "monitoring where event = scna"),
    ("bare_event_word_in_a_list", "monitoring where event in (entered, exitted)"),
    ("bare_event_word_far_from_any", "monitoring where event != zzz"),
    ("quoted_event_word", r#"monitoring where event = "engaged""#),
    ("quoted_event_word_in_a_list", r#"monitoring where event in ("left", "scan")"#),
    // ---- scripts ----
    (
        "script_error_on_line_3",
        "-- three statements; the second fails\nprogrammes select name limit 1;\ngrades where grade = goood;\nforces select name limit 1;\n",
    ),
    ("prompt_command_in_a_query", ".forces"),
    // ---- issue 17: messages that taught the wrong fix ----
    ("unknown_column_lists_the_columns", "forces select name, rating"),
    ("unknown_column_on_the_left", r#"forces where status = "engage""#),
    ("column_of_another_source", "forces select name, source_url"),
    ("unquoted_force_name", "grades where force = kent"),
    ("grade_like_word", "grades where grade = poor"),
    ("unquoted_two_word_force", "grades where force = Kent Police"),
    ("needs_improvement", "grades where grade = needs improvement"),
    ("ambiguous_area_across_programmes", r#"grades in all where area("crime")"#),
    (
        "script_missing_semicolon",
        "forces where region = \"Wales\" select name\nforces where score > 3 select name, score;\n",
    ),
    (
        "script_missing_semicolon_on_one_line",
        "forces where region = \"Wales\" select name forces select name\n",
    ),
    // a source's name where a column goes is not a missing `;`
    ("source_word_as_a_column", "programmes select name grades"),
    ("prompt_command_without_a_statement", ".timer on"),
    ("script_parse_error_on_line_2", "forces limit 1;\nforces wher score > 3;\nforces;\n"),
];

#[test]
fn rendered_diagnostics() {
    assert!(CASES.len() >= 40, "the issue asks for at least 40 mistakes");
    let mut names: Vec<&str> = CASES.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), CASES.len(), "snapshot names are unique");
    for (name, src) in CASES {
        let file = if name.starts_with("script") { format!("{name}.pql") } else { "query".to_string() };
        let text = diagnose(&file, src);
        insta::with_settings!({ description => *src, omit_expression => true }, {
            insta::assert_snapshot!(*name, text);
        });
    }
}

#[test]
fn rendered_warnings() {
    for (name, src) in WARNING_CASES {
        let file = if name.starts_with("script") { format!("{name}.pql") } else { "query".to_string() };
        let text = warnings(&file, src);
        assert!(text.contains("peelql::warning::"), "{name}: no warning for `{src}`:\n{text}");
        insta::with_settings!({ description => *src, omit_expression => true, snapshot_suffix => "" }, {
            insta::assert_snapshot!(format!("warnings__{name}"), text);
        });
    }
}

#[test]
fn every_warning_code_has_a_snapshot() {
    let errors =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/ERRORS.md"))
            .unwrap();
    let codes: Vec<&str> = errors
        .lines()
        .filter_map(|l| l.strip_prefix("| `peelql::warning::"))
        .map(|l| &l[..l.find('`').unwrap()])
        .collect();
    assert!(codes.len() >= 5, "{codes:?}");
    for code in codes {
        let full = format!("peelql::warning::{code}");
        // a warning the bundled data cannot give (a merger whose predecessors
        // differ) is snapshotted by the test that builds its data
        let elsewhere = || {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
            std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()).any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                !name.starts_with("diagnostics__")
                    && std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(&full))
            })
        };
        assert!(
            WARNING_CASES.iter().any(|(_, src)| warnings("query", src).contains(&full)) || elsewhere(),
            "no snapshot case gives {full}"
        );
    }
}

#[test]
fn warnings_are_drawn_as_warnings_not_errors() {
    let text = warnings("query", r#"forces where "status" = "engage""#);
    assert!(text.contains("  ! `\"status\" = \"engage\"` compares constants only"), "{text}");
    assert!(!text.contains("  x "), "{text}");
    assert!(text.contains("`-- false for every row"), "{text}");
}

#[test]
fn the_must_show_reports_both_problems_at_once() {
    let text = diagnose("query", r#"forces where area("sex ofenders") = inadequat"#);
    assert!(text.contains("did you mean `inadequate`?"), "{text}");
    assert!(text.contains("did you mean `sex offenders` (Managing offenders)?"), "{text}");
    let underline = text.lines().find(|l| l.contains("^^^^|^^^^")).unwrap_or("");
    assert!(text.contains("inadequat\n") && !underline.is_empty(), "underlines `inadequat`: {text}");
}

#[test]
fn scripts_name_the_file_and_line_and_show_the_failing_statement() {
    let src = "forces limit 1;\n-- a comment\ngrades where grade = goood;\nforces;\n";
    let text = diagnose("three.pql", src);
    assert!(text.contains("[three.pql:3:22]"), "{text}");
    assert!(text.contains(" 3 | grades where grade = goood;"), "the failing statement is shown: {text}");
}
