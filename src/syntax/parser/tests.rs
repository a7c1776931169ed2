use super::*;
use crate::syntax::{BinOp, ExprKind, Literal, ProgrammeRefKind, Quantifier, StatementKind};
use crate::value::{Date, Grade};

fn query(src: &str) -> crate::syntax::Query {
    match parse_statement(src).unwrap_or_else(|e| panic!("{src}: {e}")).kind {
        StatementKind::Query(q) => q,
        other => panic!("not a query: {other:?}"),
    }
}

fn err(src: &str) -> Error {
    parse_script(src).expect_err(src)
}

#[test]
fn design_examples_parse() {
    for src in [
        r#"forces where area("sex offenders") = inadequate"#,
        r#"forces where area("responding") < adequate and region = "Eastern""#,
        r#"grades where force = "Cambridgeshire""#,
        r#"grades where force = "cambs" and area("offenders") order by published"#,
        r#"grades where area("investigating") group by grade select grade, count()"#,
        "forces where count(area = inadequate) >= 2",
        r#"forces where area("responding") < previous(area("responding"))"#,
        "forces order by score desc limit 5 select name, score",
        r#"areas where name ~ "victim""#,
        "forces in peel 2021 where any area = inadequate",
    ] {
        query(src);
    }
}

#[test]
fn keywords_are_case_insensitive() {
    let q = query("FORCES WHERE Any Area = INADEQUATE ORDER BY name DESC LIMIT 3");
    assert!(q.order_by.unwrap().body[0].descending);
    let f = q.filter.unwrap().body;
    assert!(matches!(f.kind, ExprKind::Quantified { quantifier, .. } if quantifier.node == Quantifier::Any));
}

#[test]
fn spans_point_into_the_source() {
    let src = r#"forces where area("sex offenders") = inadequate"#;
    let q = query(src);
    let f = q.filter.unwrap();
    assert_eq!(f.keyword.text(src), Some("where"));
    let ExprKind::Binary { op, lhs, rhs } = f.body.kind else { panic!() };
    assert_eq!(op.node, BinOp::Eq);
    assert_eq!(lhs.span.text(src), Some(r#"area("sex offenders")"#));
    assert_eq!(rhs.span.text(src), Some("inadequate"));
    assert_eq!(q.source.span.text(src), Some("forces"));
}

#[test]
fn statement_spans_in_a_script_are_absolute() {
    let src = "forces;\n  grades where grade = good ;";
    let script = parse_script(src).unwrap();
    assert_eq!(script.statements.len(), 2);
    assert_eq!(script.statements[1].span.text(src).map(str::trim), Some("grades where grade = good"));
    let StatementKind::Query(q) = &script.statements[1].kind else { panic!() };
    assert_eq!(q.source.span.text(src), Some("grades"));
}

#[test]
fn word_comparisons() {
    for (src, op) in [
        ("grades where grade at least good", BinOp::Ge),
        ("grades where grade is at least good", BinOp::Ge),
        ("grades where grade at most adequate", BinOp::Le),
        ("grades where grade better than adequate", BinOp::Gt),
        ("grades where grade is worse than good", BinOp::Lt),
        ("grades where grade is good", BinOp::Eq),
        ("grades where grade is not good", BinOp::Ne),
        ("grades where grade <> good", BinOp::Ne),
        ("grades where name !~ \"x\"", BinOp::NotContains),
    ] {
        let q = query(src);
        let ExprKind::Binary { op: got, .. } = q.filter.unwrap().body.kind else { panic!("{src}") };
        assert_eq!(got.node, op, "{src}");
    }
}

#[test]
fn grade_words() {
    for (src, g) in [
        ("grades where grade = requires improvement", Grade::RequiresImprovement),
        ("grades where grade = Requires_Improvement", Grade::RequiresImprovement),
        ("grades where grade = RI", Grade::RequiresImprovement),
        ("grades where grade = outstanding", Grade::Outstanding),
    ] {
        let ExprKind::Binary { rhs, .. } = query(src).filter.unwrap().body.kind else { panic!() };
        assert_eq!(rhs.kind, ExprKind::Literal(Literal::Grade(g)));
    }
}

#[test]
fn literals() {
    let e = parse_expr("published >= 2024-03-13").unwrap();
    let ExprKind::Binary { rhs, .. } = e.kind else { panic!() };
    assert_eq!(rhs.kind, ExprKind::Literal(Literal::Date(Date::parse("2024-03-13").unwrap())));
    let e = parse_expr("score > 3.5 or change(grade) < -1").unwrap();
    assert!(matches!(e.kind, ExprKind::Binary { op, .. } if op.node == BinOp::Or));
    assert!(parse_expr("x = 'single quoted'").is_ok());
    assert!(parse_expr(r#"x = "esc \" aped""#).is_ok());
    assert!(parse_expr("x is null and y is not null").is_ok());
    assert!(parse_expr("region not in (\"Wales\", \"London\")").is_ok());
    assert!(parse_expr("not not x = 1").is_ok());
    assert!(parse_expr("$g = grade").is_ok());
}

#[test]
fn programmes_after_in() {
    for (src, kind) in [
        ("forces in peel 2021", ProgrammeRefKind::Named("peel 2021".into())),
        ("forces in PEEL 2023-25", ProgrammeRefKind::Named("peel 2023-25".into())),
        ("forces in 2021/22", ProgrammeRefKind::Named("2021/22".into())),
        ("forces in \"PEEL 2018-19\"", ProgrammeRefKind::Named("PEEL 2018-19".into())),
        ("forces in latest", ProgrammeRefKind::Latest),
        ("grades in all", ProgrammeRefKind::All),
        ("grades in $cycle", ProgrammeRefKind::Param("cycle".into())),
    ] {
        assert_eq!(query(src).programme.unwrap().kind, kind, "{src}");
    }
}

#[test]
fn statements() {
    let s = parse_script("let bad = forces where any area = inadequate; bad where region = \"Eastern\"; explain forces; show areas in peel 2021; show columns grades").unwrap();
    assert_eq!(s.statements.len(), 5);
    assert!(matches!(&s.statements[0].kind, StatementKind::Let { name, .. } if name.name == "bad"));
    assert!(matches!(&s.statements[2].kind, StatementKind::Explain(_)));
    assert!(matches!(&s.statements[3].kind, StatementKind::Show { programme: Some(_), .. }));
    assert!(matches!(&s.statements[4].kind, StatementKind::Show { of: Some(o), .. } if o.name == "grades"));
}

#[test]
fn comments_and_empty_statements() {
    let s = parse_script("-- a comment; with a semicolon\nforces -- trailing\n;;\n; grades -- end").unwrap();
    assert_eq!(s.statements.len(), 2);
    assert!(parse_script("").unwrap().statements.is_empty());
    assert!(parse_script("  -- only a comment").unwrap().statements.is_empty());
}

#[test]
fn clauses_in_any_order() {
    let q = query("forces limit 3 order by name where region = \"Wales\" select name");
    assert!(q.filter.is_some() && q.limit.is_some() && q.order_by.is_some() && q.select.is_some());
    let e = err("forces where a = 1 where b = 2");
    assert_eq!(e.code_str(), "peelql::parse::duplicate_clause");
}

#[test]
fn errors_say_what_was_expected() {
    let e = err("forces where area(\"x\") = ");
    assert_eq!(e.code_str(), "peelql::parse::unexpected_end");
    assert!(e.message().contains("expected a value"), "{}", e.message());

    let e = err("forces where area(\"x\" = good");
    assert_eq!(e.code_str(), "peelql::parse::unexpected_end", "open at the end: more may follow");
    assert_eq!(e.message(), "this `(` is never closed");
    assert_eq!(e.span(), Some(Span::new(17, 18)), "points at the opening `(`");
    assert!(e.labels()[1].text.as_deref().unwrap_or("").contains("expected `,` or `)`"));

    let e = err("forces where name = \"open");
    assert_eq!(e.code_str(), "peelql::parse::unterminated_string");
    assert_eq!(e.span().unwrap().start, 20);

    let e = err("forces wher name = 1");
    assert!(e.message().contains("`where`"), "{}", e.message());
    assert_eq!(e.span().unwrap(), Span::new(7, 11));

    let e = err("grades where published > 2024-02-30");
    assert_eq!(e.code_str(), "peelql::parse::invalid_literal");

    let e = err("forces where grade == good");
    assert_eq!(e.code_str(), "peelql::parse::double_equals");
    assert_eq!(e.message(), "PeelQL compares with a single `=`");

    let e = err("grades where grade = requires");
    assert!(e.message().contains("improvement"), "{}", e.message());
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let src = format!("forces where {}x = 1{}", "(".repeat(100_000), ")".repeat(100_000));
    assert_eq!(err(&src).code_str(), "peelql::parse::too_deep");
    let src = format!("forces where {}x = 1", "not ".repeat(100_000));
    assert_eq!(err(&src).code_str(), "peelql::parse::too_deep");
    let src = format!("forces where {}x = 1", "not ".repeat(MAX_DEPTH as usize));
    assert!(parse_script(&src).is_ok());
    let src = format!("forces where {}", "previous(".repeat(50_000));
    assert_eq!(err(&src).code_str(), "peelql::parse::too_deep");
}

#[test]
fn reserved_words_are_not_names() {
    assert!(is_reserved("WHERE"));
    assert_eq!(err("select where").code_str(), "peelql::parse::sql_select");
    assert!(err("where x = 1").message().contains("a source"));
}

fn codes(src: &str) -> Vec<&'static str> {
    err(src).problems().map(|e| e.code_str()).collect()
}

#[test]
fn one_statement_reports_several_problems() {
    assert_eq!(
        codes("forces where grade == good and (score > or name LIKE '%x%' limit"),
        [
            "peelql::parse::double_equals",
            "peelql::parse::unclosed_paren",
            "peelql::parse::expected",
            "peelql::parse::sql_like",
            "peelql::parse::unexpected_end"
        ]
    );
    assert_eq!(
        codes("forces wher x = 1 limit"),
        ["peelql::parse::expected", "peelql::parse::unexpected_end"]
    );
    assert_eq!(
        codes("forces where a = 1 where b = 2 where"),
        ["peelql::parse::duplicate_clause", "peelql::parse::unexpected_end"]
    );
    // nested `(` left open are one problem
    assert_eq!(codes("forces where ((a = 1"), ["peelql::parse::unexpected_end"]);
    assert_eq!(
        codes("forces where and a = 1 select"),
        ["peelql::parse::nothing_after", "peelql::parse::unexpected_end"]
    );
    assert_eq!(err("forces where ((a = 1").labels().len(), 3);
    // recovery is bounded
    let many = format!("forces where {}", vec!["a == 1"; 50].join(" and "));
    assert_eq!(err(&many).problems().count(), MAX_ERRORS + 1);
    // and spans are rebased into the script
    let e = err("forces;\nforces where x == 1 and y == 2");
    let spans: Vec<usize> = e.problems().map(|p| p.span().unwrap().start).collect();
    assert_eq!(spans, [23, 34]);
}

#[test]
fn habits_are_read_the_peelql_way_while_recovering() {
    // `==`, `&&`, `LIKE` are reported, but the rest of the statement is
    // still parsed, so later mistakes are found too
    let e = err("forces where name LIKE 'North%' && grade = goood )");
    let got: Vec<&str> = e.problems().map(|p| p.code_str()).collect();
    assert_eq!(
        got,
        ["peelql::parse::sql_like", "peelql::parse::sql_operator", "peelql::parse::unmatched_paren"]
    );
    assert_eq!(e.hints()[0], "write `~ \"North\"`: `~` finds text anywhere in a value, ignoring case");
}

#[test]
#[ignore]
fn print_messages() {
    for src in [
        "forces where area(\"x\") = ",
        "forces wher name = 1",
        "forces where grade == good",
        "grades where x = 1 foo",
        "forces where",
        "SELECT * FROM forces",
        "forces where (a = 1",
        "forces in peel",
        "grades group name",
    ] {
        let e = err(src);
        eprintln!("{src:40} => {} [{:?}] label={:?}", e.message(), e.span(), e.label());
    }
}

#[test]
fn strings_may_hold_any_text() {
    // found by the property tests: a non-ASCII character in a string made
    // the lexer take bytes as characters and fail
    for text in ["é", "Ynys Môn", "\u{201c}x\u{201d}", "𝔭𝔢𝔢𝔩", "a\\\\\\\"b"] {
        let src = format!("forces where name = \"{text}\" select name as 'Ⱥ'");
        let q = query(&src);
        let ExprKind::Binary { rhs, .. } = q.filter.unwrap().body.kind else { panic!("{src}") };
        assert!(matches!(rhs.kind, ExprKind::Literal(Literal::Str(_))), "{src}");
        assert_eq!(q.select.unwrap().body[0].alias.as_ref().unwrap().name, "Ⱥ");
    }
}

#[test]
fn names_that_contain_a_grade_word_are_names() {
    // found by the property tests: `_ri` was read as the grade `ri`
    for name in ["_ri", "ri_", "good_", "_good", "Requires_Improvement_"] {
        let q = query(&format!("grades where {name} = 1"));
        let ExprKind::Binary { lhs, .. } = q.filter.unwrap().body.kind else { panic!("{name}") };
        assert!(matches!(&lhs.kind, ExprKind::Column(c) if c.name == name), "{name}: {lhs:?}");
    }
    let q = query("grades where grade = Requires_Improvement");
    let ExprKind::Binary { rhs, .. } = q.filter.unwrap().body.kind else { panic!() };
    assert_eq!(rhs.kind, ExprKind::Literal(Literal::Grade(Grade::RequiresImprovement)));
}

#[test]
fn doubled_joiners_are_one_mistake_not_a_cascade() {
    for src in [
        "forces where x = 1 and and y = 2",
        "forces where x = 1 or or y = 2",
        "forces where x = 1 or and y = 2",
        "forces where x = 1 and or y = 2",
    ] {
        assert_eq!(codes(src), ["peelql::parse::nothing_after"], "{src}");
    }
}

#[test]
fn input_that_stops_early_is_unexpected_end() {
    // the prompt reads `unexpected_end` as "wait for the next line"
    for src in [
        "forces where",
        "forces where a = 1 and",
        "forces where a = 1 or",
        "forces where a =",
        "forces where (a = 1",
        "forces where ((a = 1",
        "forces where area(\"x\"",
        "forces where x in (1,",
        "forces where x in (1",
        "forces select",
        "forces limit",
        "grades group by",
    ] {
        let e = err(src);
        for p in e.problems() {
            assert_eq!(p.code_str(), "peelql::parse::unexpected_end", "{src}: {}", p.message());
        }
    }
    // but a mistake before the end is not waited on
    assert_eq!(err("forces where and a = 1").code_str(), "peelql::parse::nothing_after");
    assert_eq!(err("forces where (a = 1 select x").code_str(), "peelql::parse::unclosed_paren");
}

#[test]
fn as_of_takes_dates_and_prints_back() {
    let q = query("forces in peel 2021 as of published, 2022-06-30 where engage select name");
    let dates = &q.as_of.as_ref().expect("as of").body;
    assert_eq!(dates.len(), 2);
    assert!(matches!(&dates[1].kind, ExprKind::Literal(Literal::Date(_))), "{:?}", dates[1]);
    assert!(q.filter.is_some() && q.select.is_some());
    let printed = q.to_string();
    assert_eq!(printed, r#"forces in "peel 2021" as of published, 2022-06-30 where engage select name"#);
    assert_eq!(query(&printed).to_string(), printed);
    assert_eq!(err("forces as 2022-06-30").code_str(), "peelql::parse::expected");
}

/// Found by the fuzzer (run 6): a word after a no-break space (two bytes)
/// cut a string inside that character while looking for two words meant as
/// one value.
#[test]
fn words_after_a_no_break_space_do_not_cut_a_character() {
    for src in
        ["show areainspectionsr\u{a0}\u{a0}ft\u{a0}\u{a0}forcoe", "forces where name =\u{a0}Kent Police"]
    {
        let _ = parse_script(src);
    }
}
