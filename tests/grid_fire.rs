//! Pictures of fire and rescue services (issue 16): `grades in frs …` and
//! `services …` drawn as services × areas, with the caption, title and
//! footer in the services' words and the legend of the programme's scale
//! (four-tier in FRS 2018-19 and 2021-22, five-tier in 2023-25). The grid
//! text is pinned in golden files (`tests/grid/frs_*.txt`, as in
//! `tests/grid.rs`; `BLESS=1 cargo test --test grid_fire` accepts new
//! output), and every cell of the 2021-22 picture is checked against
//! `data/fire/grades.csv` read with the csv crate alone.

use peelql::output::grid::{Grid, GridKind};
use peelql::output::{Format, RenderContext, RenderOptions, render_with};
use peelql::{Engine, Grade, Params, Rows, StatementOutput};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::in_memory().expect("bundled data loads"))
}

/// The rows of `src` as the CLI asks for them for a picture.
fn picture_rows(src: &str) -> Rows {
    let mut session = engine().session();
    session.set_grid_columns(true);
    let stmt = peelql::syntax::parse_statement(src).expect("parses");
    match session.run(src, &stmt, &Params::new()).expect("runs") {
        StatementOutput::Rows(rows) => rows,
        other => panic!("not rows: {other:?}"),
    }
}

fn draw(src: &str, format: Format) -> String {
    render_with(&picture_rows(src), format, &RenderOptions::plain(), &RenderContext::query(src))
}

fn golden(name: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/grid").join(format!("{name}.txt"));
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, got).expect("writes the golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{}: {e} (BLESS=1 cargo test --test grid_fire writes it)", path.display())
    });
    assert!(expected == got, "{} differs (BLESS=1 to accept):\n{got}", path.display());
}

/// The legend line of a grid picture.
fn legend(out: &str) -> &str {
    out.lines().find(|l| l.starts_with("Legend:")).expect("a legend")
}

#[test]
fn frs_2021_grid_is_services_by_pillars_on_the_four_tier_scale() {
    let out = draw("grades in frs 2021", Format::Grid);
    assert!(out.starts_with("Grades by service and area, FRS 2021-22\n"), "{out}");
    assert!(out.contains("(44 services x 3 areas, 132 grades)"), "{out}");
    // four tiers: no adequate in the legend
    assert_eq!(
        legend(&out),
        "Legend: O outstanding  G good  RI requires improvement  I inadequate  . no grade on record"
    );
    // rows by the data set's short names (services.csv), not a cut name
    assert!(out.lines().any(|l| l.starts_with("London Fire Brigade  ")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("Essex  ")), "{out}");
    // the pillars' columns tell Effectiveness and Efficiency apart
    assert!(
        out.contains("  Eff   Effectiveness - 44 of 44 graded\n  Effi  Efficiency - 44 of 44 graded\n"),
        "{out}"
    );
    golden("frs_2021", &out);
}

#[test]
fn frs_2023_services_grid_is_five_tier_with_the_eleven_areas() {
    let out = draw("services in frs 2023 where graded > 0", Format::Grid);
    assert!(out.starts_with("Grades by service and area, FRS 2023-25\n"), "{out}");
    assert!(out.contains("(33 services x 11 areas, 192 grades)"), "{out}");
    assert!(legend(&out).contains("  A adequate  "), "{out}");
    golden("frs_2023_services", &out);
}

#[test]
fn a_services_trend_across_both_scales_says_adequate_is_five_tier_only() {
    let out = draw(r#"grades in frs all where force = "Cumbria""#, Format::Grid);
    assert!(
        out.starts_with("Cumbria Fire and Rescue Service: grades by programme, FRS 2018-19 to FRS 2023-25\n"),
        "{out}"
    );
    assert!(legend(&out).contains("A adequate (five-tier programmes only)"), "{out}");
    assert!(out.contains("(14 areas x 3 programmes, 17 grades)"), "{out}");
    golden("frs_cumbria_trend", &out);
}

#[test]
fn police_pictures_keep_the_force_words_and_their_own_scale() {
    let out = draw("grades in peel 2018", Format::Grid);
    assert!(out.starts_with("Grades by force and area, PEEL 2018-19\n"), "{out}");
    assert!(out.contains(" forces x "), "{out}");
    assert!(!legend(&out).contains("A adequate"), "PEEL 2018-19 is four-tier: {out}");
    let out = draw("grades in peel 2023", Format::Grid);
    assert!(legend(&out).contains("  A adequate  "), "{out}");
}

type Row = BTreeMap<String, String>;

fn csv_rows(name: &str) -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fire").join(name);
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| header.iter().cloned().zip(r.expect("a row").iter().map(str::to_string)).collect())
        .collect()
}

/// Every cell of the FRS 2021-22 picture is the grade `grades.csv` gives
/// the service (by its official name in `service_names.csv`) for that
/// pillar, and every grade of the file is a cell.
#[test]
fn every_frs_2021_cell_is_the_grade_in_the_data_file() {
    let names: BTreeMap<String, String> = csv_rows("service_names.csv")
        .into_iter()
        .map(|r| (r["service"].clone(), r["name"].clone()))
        .collect();
    let mut expected: BTreeMap<(String, String), String> = BTreeMap::new();
    for r in csv_rows("grades.csv").into_iter().filter(|r| r["round"] == "FRS 2021-22") {
        let name = names.get(&r["service"]).unwrap_or_else(|| panic!("no name for {}", r["service"]));
        expected.insert((name.clone(), r["area"].clone()), r["grade"].clone());
    }
    assert_eq!(expected.len(), 132);
    let grid = Grid::from_rows(&picture_rows("grades in frs 2021")).expect("a grid");
    assert_eq!(grid.kind, GridKind::Forces);
    assert_eq!((grid.body.as_str(), grid.row_heading.as_str()), ("service", "service"));
    assert_eq!(
        grid.legend_grades(),
        [Grade::Outstanding, Grade::Good, Grade::RequiresImprovement, Grade::Inadequate]
    );
    let mut seen = 0;
    for (r, row) in grid.rows.iter().enumerate() {
        for (c, col) in grid.columns.iter().enumerate() {
            let got = grid.cells[r][c].grade.map(|g| g.name().to_string());
            let want = expected.get(&(row.full.clone(), col.full.clone())).cloned();
            assert_eq!(got, want, "{} / {}", row.full, col.full);
            seen += usize::from(want.is_some());
        }
    }
    assert_eq!(seen, expected.len());
}

#[test]
fn html_and_svg_of_services_speak_of_services_and_their_scale() {
    let page = draw("grades in frs 2021", Format::Html);
    assert!(page.contains("<h1>Grades by service and area, FRS 2021-22</h1>"));
    assert!(page.contains("Programme: FRS 2021-22. 44 services × 3 areas, 132 grades."));
    assert!(page.contains("<th class=\"corner\">service</th>"));
    assert!(page.contains("HMICFRS fire and rescue service inspections"), "footer");
    assert!(!page.contains("HMICFRS PEEL"), "footer");
    assert!(!page.contains("</span> adequate</li>"), "four-tier legend");
    assert!(page.contains("</span> requires improvement</li>"));
    assert!(page.contains(
        "title=\"Avon Fire and Rescue Service, Effectiveness, FRS 2021-22: requires improvement (stated). Source ["
    ));

    let svg = draw("grades in frs 2023", Format::Svg);
    assert!(svg.contains("<title id=\"title\">Grades by service and area, FRS 2023-25</title>"));
    assert!(svg.contains("FRS 2023-25. 33 services × 11 areas, 192 grades"), "subtitle");
    assert!(svg.contains("A adequate, RI requires improvement"), "five-tier description");
    assert!(svg.contains("Grades: HMICFRS fire and rescue service inspections (PeelQL data)"));
    let svg = draw("grades in frs 2018", Format::Svg);
    assert!(svg.contains("grade code: O outstanding, G good, RI requires improvement, I inadequate, NG"));
}
