//! Unit tests of the grid model: pivots, layouts, abbreviations.

use super::*;
use crate::value::Value;

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn grades(rows: &[(&str, &str, &str, Option<Grade>)]) -> Rows {
    Rows::new(
        vec!["force".into(), "programme".into(), "area".into(), "grade".into()],
        rows.iter()
            .map(|(f, p, a, g)| vec![text(f), text(p), text(a), g.map_or(Value::Null, Value::Grade)])
            .collect(),
    )
}

#[test]
fn grades_pivot_to_forces_by_areas_in_first_seen_order() {
    use Grade::*;
    let rows = grades(&[
        ("B Police", "PEEL 2023-25", "Preventing crime", Some(Good)),
        ("B Police", "PEEL 2023-25", "Investigating crime", Some(Inadequate)),
        ("A Constabulary", "PEEL 2023-25", "Preventing crime", Some(Adequate)),
        ("A Constabulary", "PEEL 2023-25", "Responding to the public", Some(Good)),
        ("A Constabulary", "PEEL 2023-25", "Investigating crime", None),
    ]);
    let g = Grid::from_rows(&rows).unwrap();
    assert_eq!(g.kind, GridKind::Forces);
    let cols: Vec<&str> = g.columns.iter().map(|c| c.full.as_str()).collect();
    assert_eq!(cols, ["Preventing crime", "Responding to the public", "Investigating crime"]);
    let shorts: Vec<&str> = g.columns.iter().map(|c| c.short.as_str()).collect();
    assert_eq!(shorts, ["PC", "RP", "IC"]);
    let rows: Vec<&str> = g.rows.iter().map(|c| c.short.as_str()).collect();
    assert_eq!(rows, ["B", "A"]);
    assert_eq!(g.cells[0][0].grade, Some(Good));
    assert!(!g.cells[0][1].recorded);
    assert_eq!(g.cells[0][2].grade, Some(Inadequate));
    assert!(g.cells[1][2].recorded && g.cells[1][2].grade.is_none());
    assert_eq!(g.graded(), 4);
    assert_eq!(g.summary(), "2 forces × 3 areas, 4 grades");
    assert_eq!(g.title(), "Grades by force and area, PEEL 2023-25");
}

#[test]
fn one_force_over_several_programmes_is_a_trend() {
    use Grade::*;
    let rows = grades(&[
        ("A Police", "PEEL 2017", "Effectiveness", Some(Good)),
        ("A Police", "PEEL 2023-25", "Preventing crime", Some(Adequate)),
        ("A Police", "PEEL 2016", "Effectiveness", Some(RequiresImprovement)),
    ]);
    let g = Grid::from_rows(&rows).unwrap();
    assert_eq!(g.kind, GridKind::Trend);
    assert_eq!(g.programmes, ["PEEL 2016", "PEEL 2017", "PEEL 2023-25"]);
    let cols: Vec<&str> = g.columns.iter().map(|c| c.short.as_str()).collect();
    assert_eq!(cols, ["2016", "2017", "2023-25"]);
    let rows: Vec<&str> = g.rows.iter().map(|c| c.full.as_str()).collect();
    assert_eq!(rows, ["Preventing crime", "Effectiveness"]);
    assert_eq!(g.cells[1][0].grade, Some(RequiresImprovement));
    assert_eq!(g.cells[0][2].grade, Some(Adequate));
    assert_eq!(g.title(), "A Police: grades by programme, PEEL 2016 to PEEL 2023-25");
}

#[test]
fn themes_join_areas_of_different_programmes() {
    let rows = Rows::new(
        vec!["force".into(), "programme".into(), "area".into(), "theme".into(), "grade".into()],
        vec![
            vec![
                text("X"),
                text("PEEL 2021-22"),
                text("Good use of resources"),
                text("leadership"),
                Value::Grade(Grade::Good),
            ],
            vec![
                text("X"),
                text("PEEL 2023-25"),
                text("Leadership and force management"),
                text("leadership"),
                Value::Grade(Grade::Adequate),
            ],
        ],
    );
    let g = Grid::from_rows(&rows).unwrap();
    assert_eq!(g.kind, GridKind::Trend);
    assert_eq!(g.rows.len(), 1);
    assert_eq!(g.rows[0].full, "Leadership and force management");
    assert_eq!(g.cells[0][0].area, "Good use of resources");
}

#[test]
fn several_forces_over_several_programmes_get_a_row_per_inspection() {
    use Grade::*;
    let rows = grades(&[
        ("A Police", "PEEL 2021-22", "Preventing crime", Some(Good)),
        ("A Police", "PEEL 2023-25", "Preventing crime", Some(Adequate)),
        ("B Police", "PEEL 2023-25", "Preventing crime", Some(Inadequate)),
    ]);
    let g = Grid::from_rows(&rows).unwrap();
    assert_eq!(g.kind, GridKind::Forces);
    let shorts: Vec<&str> = g.rows.iter().map(|c| c.short.as_str()).collect();
    assert_eq!(shorts, ["A 2021-22", "A 2023-25", "B 2023-25"]);
    assert_eq!(g.rows[0].full, "A Police, PEEL 2021-22");
}

#[test]
fn forces_rows_use_their_grade_columns() {
    let rows = Rows::new(
        vec![
            "name".into(),
            "region".into(),
            "programme".into(),
            "Preventing crime".into(),
            "SOC".into(),
            "url".into(),
        ],
        vec![
            vec![
                text("A Police"),
                text("East"),
                text("PEEL 2023-25"),
                Value::Grade(Grade::Good),
                Value::Null,
                Value::Null,
            ],
            vec![text("B Police"), text("East"), text("PEEL 2023-25"), Value::Null, Value::Null, Value::Null],
        ],
    );
    let g = Grid::from_rows(&rows).unwrap();
    let cols: Vec<&str> = g.columns.iter().map(|c| c.full.as_str()).collect();
    // `SOC` holds no grade, so is left out with a note; `url` is a column
    assert_eq!(cols, ["Preventing crime"]);
    assert_eq!(g.notes, ["Left out, as no row has a grade in it: SOC."]);
    assert_eq!(g.rows.len(), 2);
    assert_eq!(g.cells[0][0].grade, Some(Grade::Good));
}

#[test]
fn rows_without_grades_make_no_grid() {
    assert!(Grid::from_rows(&Rows::default()).is_none());
    assert!(Grid::from_rows(&grades(&[])).is_none());
    assert!(Grid::from_rows(&grades(&[("A", "P", "x", None)])).is_none());
    let counts =
        Rows::new(vec!["grade".into(), "count".into()], vec![vec![Value::Grade(Grade::Good), Value::Int(3)]]);
    assert!(Grid::from_rows(&counts).is_none());
}

#[test]
fn abbreviations_are_short_and_distinct() {
    let names: Vec<String> = [
        "Police powers and public treatment",
        "Developing a positive workplace",
        "Effectiveness",
        "Efficiency",
        "Effectiveness Q4",
        "SOC",
        "Recording data about crime",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let a = abbreviate(&names);
    assert_eq!(a, ["PPPT", "DPW", "Eff", "Effi", "EQ4", "SOC", "RDC"]);
}

#[test]
fn merging_orders_keeps_each_groups_order() {
    let g = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(merge_order(&[g(&["a", "c"]), g(&["a", "b", "c", "d"])]), g(&["a", "b", "c", "d"]));
    assert_eq!(merge_order(&[g(&["b", "c"]), g(&["a", "b"])]), g(&["a", "b", "c"]));
}

#[test]
fn short_names() {
    assert_eq!(short_force("Cambridgeshire Constabulary"), "Cambridgeshire");
    assert_eq!(short_force("Metropolitan Police Service"), "Metropolitan");
    assert_eq!(short_force("Police"), "Police");
    assert_eq!(short_force("Avon Fire and Rescue Service"), "Avon");
    assert_eq!(short_force("Cleveland Fire Brigade"), "Cleveland");
    assert_eq!(short_programme("PEEL 2018-19"), "2018-19");
    assert_eq!(programme_order("PEEL 2018-19").0, 2018);
}
