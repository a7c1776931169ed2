//! Fire and rescue services in the language (issue 16, phase 2): queries
//! over the bundled data that read services, their programmes and areas,
//! and the errors for a name of the other kind. The answers are checked
//! against the files independently in `tests/fire_questions.rs`.

use peelql::{Engine, Params};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::in_memory().expect("bundled data loads"))
}

fn csv(query: &str) -> Vec<String> {
    let rows = engine().query(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    rows.rows.iter().map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")).collect()
}

fn code(query: &str) -> String {
    match engine().session().run_script(query, &Params::new(), |_, _| {}) {
        Ok(()) => panic!("{query}: ran without an error"),
        Err(e) => e.code_str().to_string(),
    }
}

#[test]
fn services_are_read_as_forces_are_over_their_own_data() {
    assert_eq!(csv("services select count()"), ["46"]);
    assert_eq!(csv("forces select count()"), ["43"], "the default stays police");
    assert_eq!(csv("services in frs all select count()"), ["122"]);
    assert_eq!(csv("inspections in frs all select count()"), ["122"]);
    assert_eq!(csv("grades in frs all select count()"), ["459"]);
    assert_eq!(
        csv(r#"services where name = "lfb" select name, programme"#),
        ["London Fire Brigade,FRS 2023-25"]
    );
    assert_eq!(
        csv(r#"services in frs 2018 where name = "hants" select name, area("people")"#),
        ["Hampshire and Isle of Wight Fire and Rescue Service,null"],
        "Hants is Hampshire and Isle of Wight, which round 1 did not inspect"
    );
    assert_eq!(
        csv(r#"services in frs 2018 where name = "Hampshire" select name, area("people")"#),
        ["Hampshire Fire and Rescue Service,requires improvement"]
    );
}

#[test]
fn fire_programmes_are_chosen_as_police_ones_are() {
    for written in ["frs 2021", "fire 2021", "\"FRS 2021-22\"", "frs 2022", "\"frs 2021/22\""] {
        assert_eq!(csv(&format!("grades in {written} select count()")), ["132"], "in {written}");
    }
    assert_eq!(csv("programmes in frs all select name"), ["FRS 2018-19", "FRS 2021-22", "FRS 2023-25"]);
    assert_eq!(csv("areas in frs 2023 select count()"), ["11"]);
}

#[test]
fn fire_areas_resolve_by_name_and_curated_alias_with_their_pillar() {
    assert_eq!(
        csv(r#"grades in frs 2023 where area("culture") = inadequate select force, area, grade"#),
        ["Avon Fire and Rescue Service,Promoting the right values and culture,inadequate"]
    );
    assert_eq!(
        csv(r#"areas in frs 2023 where pillar = "Efficiency" select name"#),
        ["Making best use of resources", "Future affordability"]
    );
    for (alias, area) in [
        ("prevention", "Preventing fires and other risks"),
        ("protection", "Protecting the public through fire regulation"),
        ("fire safety", "Protecting the public through fire regulation"),
        ("diversity", "Ensuring fairness and promoting diversity"),
        ("affordability", "Future affordability"),
        ("response", "Responding to fires and other emergencies"),
    ] {
        let q = format!(r#"grades in frs 2023 where area("{alias}") select distinct area"#);
        assert_eq!(csv(&q), [area], "{alias}");
    }
}

#[test]
fn a_name_of_the_other_kind_is_an_error_never_an_answer() {
    assert_eq!(code("forces in frs 2021"), "peelql::resolve::wrong_kind");
    assert_eq!(
        code("grades in peel 2021 where force in (services select name)"),
        "peelql::resolve::wrong_kind"
    );
    assert_eq!(code("services in peel 2021"), "peelql::resolve::wrong_kind");
    assert_eq!(code("services where name in (monitoring select force)"), "peelql::resolve::wrong_kind");
    assert_eq!(
        code(r#"services where area("neighbourhood policing") = good"#),
        "peelql::resolve::area_of_other_kind"
    );
    // a service's name does not name a force, nor the reverse
    assert_eq!(code(r#"grades where force = "lfb""#), "peelql::resolve::unknown_force");
    assert_eq!(code(r#"services where name = "Kent Police""#), "peelql::resolve::unknown_force");
}

#[test]
fn a_let_name_keeps_its_kind() {
    let mut session = engine().session();
    let mut out = Vec::new();
    session
        .run_script(
            r#"let s = services in frs 2021 where area("people") = inadequate; s select name"#,
            &Params::new(),
            |_, o| {
                if let peelql::StatementOutput::Rows(r) = o {
                    out.extend(r.rows.iter().map(|r| r[0].to_string()));
                }
            },
        )
        .expect("runs");
    assert_eq!(out, ["Gloucestershire Fire and Rescue Service", "North Yorkshire Fire and Rescue Service"]);
    // the same name bound again over forces is a police name
    session.run_script("let s = forces where name = \"kent\"", &Params::new(), |_, _| {}).expect("rebinds");
    let mut names = Vec::new();
    session
        .run_script("s select name", &Params::new(), |_, o| {
            if let peelql::StatementOutput::Rows(r) = o {
                names.extend(r.rows.iter().map(|r| r[0].to_string()));
            }
        })
        .expect("runs");
    assert_eq!(names, ["Kent Police"]);
}

#[test]
fn a_merger_whose_predecessors_differ_has_no_one_history_answer() {
    use peelql::catalog::files::DataFiles;
    use peelql::dataset::Dataset;
    // the bundled data, with the Isle of Wight's 2018-19 People grade made to differ from Hampshire's
    let mut tables = DataFiles::bundled().to_tables().expect("bundled");
    let row = tables
        .fire
        .grades
        .iter_mut()
        .find(|g| g.force == "Isle of Wight Fire and Rescue Service" && g.area == "People")
        .expect("the Isle of Wight's People grade");
    row.grade = Some(peelql::Grade::Good);
    let data = std::sync::Arc::new(Dataset::build(tables).expect("builds"));
    let mut session = engine().session_over(data);
    let src = r#"services in frs 2021 where name = "hants" select previous(area("people")), previous(area("effectiveness"))"#;
    let mut seen = None;
    let mut rendered = String::new();
    session
        .run_script(src, &Params::new(), |_, o| {
            if let peelql::StatementOutput::Rows(r) = o {
                let values: Vec<String> = r.rows[0].iter().map(ToString::to_string).collect();
                let warnings: Vec<(String, String)> =
                    r.warnings.iter().map(|w| (w.code.clone(), w.help.clone().unwrap_or_default())).collect();
                for w in &r.warnings {
                    rendered.push_str(&peelql::report::render_warning(
                        w,
                        "query",
                        src,
                        &peelql::report::Style::plain(100),
                    ));
                }
                seen = Some((values, warnings));
            }
        })
        .expect("runs");
    let (values, warnings) = seen.expect("rows");
    // People: no one answer, so null; Effectiveness: the predecessors agree
    assert_eq!(values, ["null", "good"]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "peelql::warning::merged_history");
    assert!(
        warnings[0].1.contains("Hampshire Fire and Rescue Service: requires improvement")
            && warnings[0].1.contains("Isle of Wight Fire and Rescue Service: good"),
        "both predecessors are listed: {}",
        warnings[0].1
    );
    insta::assert_snapshot!("merged_history_warning", rendered);
}

#[test]
fn rows_say_which_kind_they_are() {
    assert_eq!(
        csv(
            r#"grades in frs 2021 where force = "gloucestershire" and grade = inadequate select force, kind, area"#
        ),
        ["Gloucestershire Fire and Rescue Service,fire and rescue service,People"]
    );
    assert_eq!(csv(r#"inspections where force = "kent" select force, kind"#), ["Kent Police,police force"]);
    assert_eq!(csv(r#"grades in frs 2021 where kind = "fire" select count()"#), ["132"]);
    // the other kind in a comparison would be false for every row: an error
    assert_eq!(code(r#"grades where kind = "fire and rescue service""#), "peelql::resolve::wrong_kind");
    assert_eq!(code(r#"services where kind = "police""#), "peelql::resolve::wrong_kind");
    assert_eq!(code(r#"grades where kind = "ambulance""#), "peelql::resolve::unknown_value");
}

#[test]
fn show_knows_services_their_areas_and_the_commissioner_pairs() {
    let show = |src: &str| {
        let mut got = Vec::new();
        engine()
            .session()
            .run_script(src, &Params::new(), |_, o| {
                if let peelql::StatementOutput::Rows(r) = o {
                    got.extend(r.rows.iter().map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>()));
                }
            })
            .unwrap_or_else(|e| panic!("{src}: {e}"));
        got
    };
    let areas = show("show areas in frs 2023");
    assert_eq!(areas.len(), 11);
    assert_eq!(areas[0][1], "Understanding fires and other risks");
    let services = show("show services");
    assert_eq!(services.len(), 46);
    let iow = services.iter().find(|r| r[0] == "Isle of Wight Fire and Rescue Service").expect("listed");
    assert_eq!(iow[3..], ["2021-04", "Hampshire and Isle of Wight Fire and Rescue Service"]);
    let pairs = show("show commissioners");
    assert_eq!(pairs.len(), 5);
    assert_eq!(
        pairs[0][1..9],
        [
            "Essex Police",
            "PEEL 2023-25",
            "3.11",
            "9",
            "Essex County Fire and Rescue Service",
            "FRS 2023-25",
            "3.00",
            "6"
        ]
    );
}

#[test]
fn show_service_gives_a_services_history_with_its_predecessors() {
    // Hampshire and Isle of Wight: round 1 was its two predecessors', each
    // listed under its own name, then its own inspections
    assert_eq!(
        csv(r#"show service "hants""#),
        [
            "FRS 2018-19,Hampshire Fire and Rescue Service,2018-12-20,3,3.33,0,predecessor of Hampshire and Isle of Wight Fire and Rescue Service, merged 2021-04",
            "FRS 2018-19,Isle of Wight Fire and Rescue Service,2018-12-20,3,3.33,0,predecessor of Hampshire and Isle of Wight Fire and Rescue Service, merged 2021-04",
            "FRS 2021-22,Hampshire and Isle of Wight Fire and Rescue Service,2023-01-20,3,2.67,0,null",
            "FRS 2023-25,Hampshire and Isle of Wight Fire and Rescue Service,2025-08-14,1,4.00,0,null",
        ]
    );
    assert_eq!(
        csv(r#"show service "Cumbria""#),
        [
            "FRS 2018-19,Cumbria Fire and Rescue Service,2019-12-17,3,3.33,0,null",
            "FRS 2021-22,Cumbria Fire and Rescue Service,2023-01-20,3,1.67,1,null",
            "FRS 2023-25,Cumbria Fire and Rescue Service,null,11,2.91,0,null",
        ]
    );
    // the police half the same way
    assert_eq!(csv(r#"show force "cambs""#).len(), 4);
    assert_eq!(code(r#"show force "LFB""#), "peelql::resolve::wrong_kind");
    assert_eq!(code(r#"show service "kent police""#), "peelql::resolve::wrong_kind");
    assert_eq!(code(r#"show service "Cumbira""#), "peelql::resolve::unknown_force");
    assert_eq!(code(r#"show areas "x""#), "peelql::resolve::unknown_topic");
}
