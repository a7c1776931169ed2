//! Messages we know are still weak (a PRQL habit). Each test asserts
//! today's text, so that improving a message is a deliberate change: fix
//! the message, then move its case to `tests/diagnostics.rs` as a snapshot.
//!
//! Each case says in a comment what a better message would do.

use peelql::{Engine, Params};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::in_memory().expect("bundled data loads"))
}

/// Each problem as `code: message [label] help: …`, one per line; or
/// `ok: N rows` when the query runs.
fn brief(src: &str) -> String {
    match engine().query_with(src, &Params::new()) {
        Ok(rows) => format!("ok: {} rows", rows.len()),
        Err(e) => e
            .problems()
            .map(|p| {
                let mut line = format!("{}: {} [{}]", p.code_str(), p.message(), p.label().unwrap_or(""));
                for h in p.hints() {
                    line.push_str(&format!(" help: {h}"));
                }
                line
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn descending_is_not_suggested_for_desc() {
    // Better: "did you mean `desc`?" (add `asc`/`desc` to the words checked
    // after `order by`).
    assert_eq!(
        brief("forces order by score descending"),
        "peelql::parse::expected: expected `in <programme>`, a clause (`where`, `group by`, `select`, `limit`) or the end of the query, found `descending` [not expected here]"
    );
}

#[test]
fn recovery_after_a_misspelt_clause_skips_to_the_next_known_clause() {
    // Better: also report `selct` (today recovery skips to the next clause
    // keyword it knows, so a second misspelt keyword is not seen).
    assert_eq!(
        brief("forces wher region = \"Wales\" selct name"),
        "peelql::parse::expected: expected `in <programme>`, a clause (`where`, `group by`, `select`, `order by`, `limit`) or the end of the query, found `wher` [not expected here] help: did you mean `where`?"
    );
}

#[test]
fn area_with_two_arguments_has_no_example() {
    // Better: "help: name one area, e.g. `area(\"responding\")`; to test
    // several, join them: `area(\"a\") = good and area(\"b\") = good`".
    assert_eq!(
        brief(r#"forces where area("responding", "offenders") = good"#),
        "peelql::type::wrong_arguments: `area()` takes 1 argument, not 2 [wrong number of arguments]"
    );
}

#[test]
fn a_missing_value_repeats_the_message_in_its_label() {
    // Better: a short label ("a value here") under a message that lists
    // the choices once.
    assert_eq!(
        brief(r#"forces where area("responding") ="#),
        "peelql::parse::unexpected_end: expected a value: a grade, a string, a number, a date or a column, found end of input [expected a value: a grade, a string, a number, a date or a column]"
    );
}

#[test]
fn a_year_between_cycles_suggests_by_spelling_not_by_time() {
    // Better: "there was no PEEL inspection in 2020; the nearest are PEEL
    // 2018-19 and PEEL 2021-22" (compare years, not letters).
    assert_eq!(
        brief("forces in peel 2020"),
        "peelql::resolve::unknown_programme: there is no programme \"peel 2020\" [unknown programme] help: did you mean `PEEL 2014`, `PEEL 2015` or `PEEL 2016`? help: the programmes are: PEEL 2014, PEEL 2015, PEEL 2016, PEEL 2017, PEEL 2018-19, PEEL 2021-22, PEEL 2023-25, and `latest` or `all`"
    );
}

#[test]
fn a_quoted_number_is_only_a_type_mismatch() {
    // Better: "help: drop the quotes: `score > 3`".
    assert_eq!(
        brief(r#"forces where score > "3""#),
        "peelql::type::mismatch: cannot compare a number with text [a number > text] help: compare values of the same kind"
    );
}

#[test]
fn count_without_group_by_makes_one_group_but_does_not_say_so() {
    // `select count()` without `group by` is allowed on purpose (the whole
    // source is one group). Beside a plain column, the message should say
    // that `count()` grouped the rows, and suggest `group by name`.
    assert_eq!(
        brief(r#"forces where region = "Wales" select name, count()"#),
        "peelql::type::not_grouped: `name` has one value per row, but the rows are grouped [neither grouped nor aggregated] help: add it to `group by`, or aggregate it, e.g. `max(name)`"
    );
    assert_eq!(brief(r#"forces where region = "Wales" select count()"#), "ok: 1 rows");
}

#[test]
fn sql_between_is_not_recognised() {
    // Better: "PeelQL has no `BETWEEN`: write `grade at least good and grade
    // at most outstanding`".
    assert_eq!(
        brief("grades where grade between good and outstanding"),
        "peelql::parse::expected: expected `and`, `or`, a clause (`group by`, `select`, `order by`, `limit`) or the end of the query, found `between` [not expected here]"
    );
}

#[test]
fn unquoted_text_is_called_a_column_first() {
    // The hint helps, but the message should lead with the likely cause:
    // "`Wales` is not a column of forces; is it text? `\"Wales\"`".
    assert_eq!(
        brief(r#"forces where region = Wales"#),
        "peelql::resolve::unknown_column: forces has no column `Wales` [unknown column] help: the columns of forces are: name, short, region, country, programme, published, url, score, graded, announced help: if `Wales` is text, put it in quotes: \"Wales\""
    );
}

#[test]
fn comparing_with_null_says_nothing() {
    // `!= null` is always unknown, so no row matches and nothing is said.
    // Better: a warning, "use `is not null`" (PeelQL has no warnings yet).
    assert_eq!(brief(r#"forces where region != null"#), "ok: 0 rows");
}
