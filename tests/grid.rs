//! The pictures of grades: `grid` text against golden files, the `html`
//! page and `svg` image checked for well-formedness and for the cells they
//! hold, and the binary's `--format grid|html|svg`.
//!
//! Golden files are `tests/grid/<name>.txt`. To accept new output after a
//! deliberate change: `BLESS=1 cargo test --test grid`, then read the diff.
//! The page is also opened in a real browser by `tests/browser/check_html.sh`
//! (run by `.ci/run`).

use peelql::output::grid::{Grid, GridKind};
use peelql::output::{Format, RenderContext, RenderOptions, render_with};
use peelql::{Engine, Params, Rows, StatementOutput};
use std::path::Path;
use std::process::Command;
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

fn draw(src: &str, format: Format, opts: &RenderOptions) -> String {
    render_with(&picture_rows(src), format, opts, &RenderContext::query(src))
}

fn golden(name: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/grid").join(format!("{name}.txt"));
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (BLESS=1 cargo test --test grid writes it)", path.display()));
    if expected != got {
        let line = expected
            .lines()
            .zip(got.lines())
            .position(|(e, g)| e != g)
            .map_or_else(|| "lengths differ".to_string(), |i| format!("line {}", i + 1));
        panic!("{} differs at {line} (BLESS=1 to accept):\n{got}", path.display());
    }
}

const CAMBS: &str = r#"grades in all where force = "cambs""#;

#[test]
fn golden_peel_2023_grid() {
    // every force with 2023-25 grades against the eight core areas, and
    // recording data where it was graded
    let out = draw("grades in peel 2023", Format::Grid, &RenderOptions::plain());
    assert!(out.contains("(43 forces x 9 areas, 297 grades)"), "{out}");
    golden("peel2023", &out);
}

#[test]
fn golden_cambs_trend() {
    let out = draw(CAMBS, Format::Grid, &RenderOptions::plain());
    golden("cambs_trend", &out);
}

#[test]
fn golden_forces_source() {
    let out = draw(r#"forces where region = "Eastern""#, Format::Grid, &RenderOptions::default());
    golden("eastern_forces", &out);
}

#[test]
fn golden_colour_and_narrow_width() {
    let opts = RenderOptions { color: true, unicode: true, width: Some(40) };
    let out = draw(r#"grades where region = "Eastern" order by force"#, Format::Grid, &opts);
    for line in out.lines() {
        let visible = peelql::output::strip_ansi(line).chars().count();
        assert!(visible <= 40, "{visible} wide: {line:?}");
    }
    golden("eastern_colour_40", &out);
}

/// A row label longer than the narrowest label width is cut with an
/// ellipsis (`…`, or `~` in ASCII) when the picture must fit a width.
#[test]
fn a_long_force_name_is_cut_to_fit_a_narrow_width() {
    let query = r#"grades where region = "North West" order by force"#;
    for (unicode, cut) in [(true, "Greater Manches… "), (false, "Greater Manches~ ")] {
        let out = draw(query, Format::Grid, &RenderOptions { color: false, unicode, width: Some(40) });
        assert!(out.lines().all(|l| l.chars().count() <= 40), "{out}");
        assert!(out.lines().any(|l| l.starts_with(cut)), "{out}");
        // names that fit are whole
        assert!(out.lines().any(|l| l.starts_with("Merseyside ")), "{out}");
    }
}

#[test]
fn golden_fallback() {
    let out = draw("grades group by grade select grade, count()", Format::Grid, &RenderOptions::plain());
    assert!(
        out.starts_with("No grades by force and area to draw, so the result is shown as a table.\n"),
        "{out}"
    );
    golden("fallback", &out);
}

#[test]
fn colour_off_has_no_escapes_and_colour_on_has_one_block_per_cell() {
    let plain = draw(CAMBS, Format::Grid, &RenderOptions::default());
    assert!(!plain.contains('\x1b'));
    assert!(plain.contains('·'));
    let coloured = draw(CAMBS, Format::Grid, &RenderOptions { color: true, ..RenderOptions::default() });
    // the same picture, but for the blocks' padding
    let lines = |s: &str| -> Vec<String> {
        s.lines().filter(|l| !l.starts_with("Legend:")).map(|l| l.trim_end().to_string()).collect()
    };
    assert_eq!(lines(&peelql::output::strip_ansi(&coloured)), lines(&plain));
    // 11 × 4 cells, and a block for each grade in the legend
    assert_eq!(coloured.matches("\x1b[0m").count(), 44 + 5);
}

#[test]
fn rows_keep_the_querys_order() {
    let grid = Grid::from_rows(&picture_rows("grades in peel 2023 order by force desc")).unwrap();
    assert_eq!(grid.kind, GridKind::Forces);
    assert_eq!(grid.rows[0].full, "Wiltshire Police");
    assert_eq!(grid.rows.last().unwrap().full, "Avon and Somerset Constabulary");
}

#[test]
fn the_trend_lines_areas_up_by_theme() {
    let grid = Grid::from_rows(&picture_rows(r#"grades in all where force = "met""#)).unwrap();
    assert_eq!(grid.kind, GridKind::Trend);
    assert_eq!(grid.programmes, ["PEEL 2018-19", "PEEL 2021-22", "PEEL 2023-25"]);
    // 2021-22 "Good use of resources" shares the leadership theme's row
    let row = grid.rows.iter().position(|r| r.full == "Leadership and force management").unwrap();
    assert_eq!(grid.cells[row][1].area, "Good use of resources");
    assert!(grid.cells[row][1].grade.is_some() && grid.cells[row][2].grade.is_some());
    assert!(!grid.rows.iter().any(|r| r.full == "Good use of resources"));
}

// ---- a small well-formedness check for XML (SVG, and the HTML page,
// which is written to parse as XML too)

fn check_xml(doc: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut rest = doc;
    let at = |rest: &str| doc.len() - rest.len();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<?") {
            let end = after.find("?>").ok_or("unclosed <?")?;
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or("unclosed comment")?;
            rest = &after[end + 3..];
        } else if let Some(after) = rest.strip_prefix("<!DOCTYPE") {
            let end = after.find('>').ok_or("unclosed doctype")?;
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').ok_or("unclosed end tag")?;
            let name = after[..end].trim();
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("at {}: </{name}> closes {other:?}", at(rest))),
            }
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('<') {
            let end = tag_end(after).ok_or_else(|| format!("at {}: unclosed tag", at(rest)))?;
            let inner = &after[..end];
            let (inner, empty) = match inner.strip_suffix('/') {
                Some(i) => (i, true),
                None => (inner, false),
            };
            let name_len = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
            let name = &inner[..name_len];
            if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || "-_:.".contains(c)) {
                return Err(format!("at {}: bad tag name {name:?}", at(rest)));
            }
            check_attributes(&inner[name_len..]).map_err(|e| format!("at {}: <{name}>: {e}", at(rest)))?;
            if stack.is_empty() {
                roots += 1;
            }
            if !empty {
                stack.push(name.to_string());
            }
            rest = &after[end + 1..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if stack.is_empty() && !text.trim().is_empty() {
                return Err(format!("at {}: text outside the root: {text:?}", at(rest)));
            }
            check_text(text).map_err(|e| format!("at {}: {e}", at(rest)))?;
            rest = &rest[end..];
        }
    }
    if let Some(open) = stack.pop() {
        return Err(format!("<{open}> never closed"));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    Ok(())
}

/// The end of a tag: the first `>` outside a quoted attribute value.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

fn check_attributes(s: &str) -> Result<(), String> {
    let mut rest = s.trim_start();
    let mut seen = Vec::new();
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or_else(|| format!("attribute without a value: {rest:?}"))?;
        let name = rest[..eq].trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("bad attribute name {name:?}"));
        }
        if seen.contains(&name) {
            return Err(format!("attribute {name} given twice"));
        }
        seen.push(name);
        let value = rest[eq + 1..].trim_start();
        let q = value.chars().next().filter(|c| *c == '"' || *c == '\'').ok_or("unquoted value")?;
        let close = value[1..].find(q).ok_or("unclosed value")?;
        let v = &value[1..1 + close];
        if v.contains('<') {
            return Err(format!("`<` in attribute {name}"));
        }
        check_text(v)?;
        rest = value[close + 2..].trim_start();
    }
    Ok(())
}

fn check_text(s: &str) -> Result<(), String> {
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let end = after.find(';').ok_or("unterminated entity")?;
        let entity = &after[..end];
        let ok = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity.strip_prefix("#x").is_some_and(|h| u32::from_str_radix(h, 16).is_ok())
            || entity.strip_prefix('#').is_some_and(|d| d.parse::<u32>().is_ok());
        if !ok {
            return Err(format!("unknown entity &{entity};"));
        }
        rest = &after[end + 1..];
    }
    if s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
        return Err("control character".into());
    }
    Ok(())
}

#[test]
fn the_xml_check_catches_mistakes() {
    assert!(check_xml("<a><b x=\"1\"/>t &amp; u</a>").is_ok());
    for bad in [
        "<a><b></a></b>",
        "<a>",
        "<a x=1></a>",
        "<a>&nbsp;</a>",
        "<a>1 < 2</a>",
        "<a></a><b></b>",
        "<a x=\"1\" x=\"2\"></a>",
        "<a>x & y</a>",
    ] {
        assert!(check_xml(bad).is_err(), "{bad}");
    }
}

const QUERIES: &[&str] = &[
    "grades in peel 2023",
    CAMBS,
    r#"forces where region = "Eastern""#,
    "grades in all where grade = inadequate and region = \"London\"",
    "grades group by grade select grade, count()",
    "programmes",
];

#[test]
fn svg_is_well_formed_with_a_cell_per_grid_cell() {
    for q in QUERIES {
        let svg = draw(q, Format::Svg, &RenderOptions::plain());
        check_xml(&svg).unwrap_or_else(|e| panic!("{q}: {e}\n{svg}"));
        assert!(svg.starts_with("<?xml"), "{q}");
        assert!(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{q}");
        assert!(svg.contains("<title id=\"title\">"), "{q}");
        if let Some(grid) = Grid::from_rows(&picture_rows(q)) {
            let cells = grid.rows.len() * grid.columns.len();
            assert_eq!(svg.matches("<g class=\"cell\">").count(), cells, "{q}");
            assert!(svg.contains(">RI</text>") || svg.contains(">I</text>"), "{q}");
            assert!(svg.contains("requires improvement"), "legend: {q}");
        } else {
            assert!(
                svg.contains("No grades by force and area to draw, so the result is shown as a table."),
                "{q}"
            );
        }
    }
}

#[test]
fn html_is_self_contained_well_formed_and_accessible() {
    for q in QUERIES {
        let page = draw(q, Format::Html, &RenderOptions::plain());
        check_xml(&page).unwrap_or_else(|e| panic!("{q}: {e}"));
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{q}");
        // nothing fetched: no scripts, no linked files, no CSS urls
        for banned in ["<script", "<link", " src=", "url(", "@import", "<iframe", "<img"] {
            assert!(!page.contains(banned), "{q}: {banned}");
        }
        if let Some(grid) = Grid::from_rows(&picture_rows(q)) {
            let cells = grid.rows.len() * grid.columns.len();
            assert_eq!(page.matches("<td class=\"cell ").count(), cells, "{q}");
            assert_eq!(page.matches("<td class=\"cell g-").count(), grid.graded(), "{q}");
            // the plain table for screen readers: a row header per row and a cell per cell
            let plain = &page[page.find("<table class=\"sr-only\">").expect("plain table")..];
            let plain = &plain[..plain.find("</table>").unwrap()];
            assert_eq!(plain.matches("<th scope=\"row\">").count(), grid.rows.len(), "{q}");
            // and, for forces, a column with each one's Engage status
            let engage = if grid.has_engage() { grid.rows.len() } else { 0 };
            assert_eq!(plain.matches("<td>").count(), cells + engage, "{q}");
            assert!(page.contains("aria-hidden=\"true\""), "{q}");
        } else {
            assert!(
                page.contains("No grades by force and area to draw, so the result is shown as a table."),
                "{q}"
            );
            assert!(page.contains("<table class=\"plain\">"), "{q}");
            // one note for the reader, nothing about how pictures are made
            assert_eq!(page.matches("<p class=\"note\">").count(), 1, "{q}");
            assert!(!page.contains("`grades`") && !page.contains("rows (force"), "{q}");
        }
    }
}

#[test]
fn html_title_programmes_legend_and_sources() {
    let page = draw(CAMBS, Format::Html, &RenderOptions::plain());
    assert!(
        page.contains("<h1>Cambridgeshire Constabulary: grades by programme, PEEL 2016 to PEEL 2023-25</h1>")
    );
    assert!(page.contains("<code>grades in all where force = &quot;cambs&quot;</code>"));
    assert!(page.contains("Programmes: PEEL 2016, PEEL 2017, PEEL 2018-19, PEEL 2023-25."));
    // four-tier and five-tier programmes together: all five grades, and
    // adequate says it is the five-tier programmes'
    for g in peelql::Grade::ALL {
        let word =
            if g == peelql::Grade::Adequate { "adequate (five-tier programmes only)" } else { g.name() };
        assert!(page.contains(&format!("</span> {word}</li>")), "legend {g}");
    }
    // every graded cell's source page is linked, and listed once
    let rows = picture_rows(CAMBS);
    let mut urls: Vec<String> = rows.column("source_url").unwrap().map(|v| v.to_string()).collect();
    urls.sort();
    urls.dedup();
    assert!(urls.len() >= 3);
    let sources = &page[page.find("<ol class=\"sources\">").expect("sources")..];
    for url in &urls {
        assert_eq!(sources.matches(&format!("<a href=\"{url}\">")).count(), 1, "{url}");
    }
    assert!(page.contains(". Source [1]: "), "tooltips name their source");
    // the cell's tooltip: what, where, how known, and the page
    assert!(page.contains(
        "title=\"Cambridgeshire Constabulary, Responding to the public, PEEL 2023-25: inadequate (stated). Source ["
    ));
}

// ---- the binary

fn peelql(args: &[&str]) -> (bool, String, String) {
    let o =
        Command::new(env!("CARGO_BIN_EXE_peelql")).args(args).env("NO_COLOR", "1").output().expect("runs");
    (o.status.success(), String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap())
}

#[test]
fn cli_formats() {
    let (ok, out, err) = peelql(&["--memory", "-c", "grades in peel 2023", "--format", "grid"]);
    assert!(ok, "{err}");
    assert_eq!(out, draw("grades in peel 2023", Format::Grid, &RenderOptions::plain()));

    let (ok, page, err) = peelql(&["--memory", "-c", CAMBS, "--format", "html"]);
    assert!(ok, "{err}");
    assert_eq!(page, draw(CAMBS, Format::Html, &RenderOptions::plain()));
    assert!(page.contains("<a href=\"https://"), "source links need source_url");

    let (ok, svg, err) = peelql(&["--memory", "-c", CAMBS, "--format", "SVG"]);
    assert!(ok, "{err}");
    check_xml(&svg).unwrap();

    let (ok, out, _) = peelql(&["--memory", "-c", "programmes", "--format", "grid"]);
    assert!(ok);
    assert!(
        out.starts_with("No grades by force and area to draw, so the result is shown as a table."),
        "{out}"
    );

    let (ok, _, err) = peelql(&["--memory", "-c", "programmes", "--format", "png"]);
    assert!(!ok);
    assert!(err.contains("grid, html, svg"), "{err}");
}

#[test]
fn forces_pictures_keep_the_derived_mark_and_the_source_pages() {
    // the README's headline query: West Midlands' inadequate grade for
    // managing offenders is inferred, not stated
    let src = r#"forces where area("sex offenders") = inadequate"#;
    let grid = Grid::from_rows(&picture_rows(src)).expect("a grid");
    let wm = grid.rows.iter().position(|r| r.full == "West Midlands Police").expect("row");
    let mo = grid.columns.iter().position(|c| c.full == "Managing offenders").expect("column");
    let cell = &grid.cells[wm][mo];
    assert_eq!(cell.basis.as_deref(), Some("inferred"));
    assert!(cell.is_derived());
    assert!(cell.source_url.as_deref().is_some_and(|u| u.starts_with("https://")), "{cell:?}");
    let text = draw(src, Format::Grid, &RenderOptions::plain());
    let line = text.lines().find(|l| l.starts_with("West Midlands")).unwrap();
    assert!(line.contains("I*"), "{line}");
    let html = draw(src, Format::Html, &RenderOptions::plain());
    assert!(html.contains("<h2 id=\"sources\">Sources</h2>"), "the page lists its sources");
    assert!(html.contains("Managing offenders, PEEL 2023-25: inadequate (inferred). Source ["), "tooltip");
    // the hidden columns are for pictures only
    let o = Command::new(env!("CARGO_BIN_EXE_peelql"))
        .args(["--memory", "-c", src, "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(o.stdout).unwrap();
    assert!(!csv.contains('\u{1f}') && !csv.contains("basis"), "{csv}");
}

#[test]
fn not_graded_and_nothing_on_record_are_marked_apart() {
    // GMP's PEEL 2017 efficiency and legitimacy were not graded; most
    // forces have no 2017 question grades on record
    for src in [
        r#"forces in peel 2017 where region = "North West""#,
        r#"grades in peel 2017 where region = "North West""#,
    ] {
        let grid = Grid::from_rows(&picture_rows(src)).expect("a grid");
        let gmp = grid.rows.iter().position(|r| r.full == "Greater Manchester Police").unwrap();
        let eff = grid.columns.iter().position(|c| c.full == "Efficiency").unwrap();
        let q1 = grid.columns.iter().position(|c| c.full == "Effectiveness Q1").unwrap();
        assert!(grid.cells[gmp][eff].is_not_graded(), "{src}");
        assert!(!grid.cells[gmp][q1].recorded, "{src}");
        assert!(grid.cells[gmp][q1].describe().ends_with("no grade on record"), "{src}");
        let text = draw(src, Format::Grid, &RenderOptions::plain());
        let line = text.lines().find(|l| l.starts_with("Greater Manchester")).unwrap();
        assert!(line.contains("NG"), "{src}: {line}");
        assert!(text.contains("NG not graded"), "{src}: the legend says so");
        let html = draw(src, Format::Html, &RenderOptions::plain());
        assert!(html.contains("Greater Manchester Police, Efficiency, PEEL 2017: not graded"), "{src}");
        let tip = html.split("title=\"Greater Manchester Police, Effectiveness Q1").nth(1).unwrap_or("");
        assert!(tip.split('"').next().unwrap_or("").ends_with(": no grade on record"), "{src}: {tip:.80}");
        let svg = draw(src, Format::Svg, &RenderOptions::plain());
        assert!(svg.contains(">NG</text>") && svg.contains("not graded"), "{src}");
    }
}

#[test]
fn captions_count_forces_inspections_and_what_the_columns_are() {
    // two forces over several programmes: rows are their inspections
    let src = r#"grades in all where force in ("gmp", "West Midlands Police")"#;
    let grid = Grid::from_rows(&picture_rows(src)).expect("a grid");
    assert!(grid.summary().starts_with("2 forces, 11 inspections × "), "{}", grid.summary());
    // a renamed area and a previous() grade are columns, not areas of the
    // row's programme: no programme is claimed for them
    let src = r#"forces where region = "Eastern" select name, area("responding") as grade_now, previous(area("responding")) as before"#;
    let grid = Grid::from_rows(&picture_rows(src)).expect("a grid");
    assert_eq!(grid.summary(), "7 forces × 2 columns, 12 grades");
    assert_eq!(grid.title(), "Grades by force");
    assert!(grid.cells.iter().flatten().all(|c| c.programme.is_none()));
    let html = draw(src, Format::Html, &RenderOptions::plain());
    assert!(!html.contains("PEEL 2023-25, 7 forces") && !html.contains("2 areas"), "caption");
    let text = draw(src, Format::Grid, &RenderOptions::plain());
    assert!(text.contains("Columns:") && !text.contains("Areas:"), "{text}");
    // area columns keep their caption
    let src = r#"forces where region = "Eastern" select name, area("responding"), area("investigating")"#;
    let grid = Grid::from_rows(&picture_rows(src)).expect("a grid");
    assert_eq!(grid.column_heading, "area");
    assert!(grid.summary().starts_with("7 forces × 2 areas"), "{}", grid.summary());
}

// ---- the Engage mark, cross-checked against data/engage.csv

/// Each force's moves as `data/engage.csv` has them: (entered, date as written).
fn engage_moves() -> std::collections::BTreeMap<String, Vec<(bool, String)>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/engage.csv");
    let mut reader = csv::Reader::from_path(path).expect("data/engage.csv");
    let mut out: std::collections::BTreeMap<String, Vec<(bool, String)>> = Default::default();
    for r in reader.records() {
        let r = r.expect("a row");
        out.entry(r[0].to_string()).or_default().push((&r[1] == "entered", r[2].trim().to_string()));
    }
    out
}

/// The latest dated move in the file: what a query without `as of` answers for.
fn record_end() -> String {
    engage_moves().values().flatten().map(|(_, d)| d.clone()).filter(|d| d.len() == 10).max().unwrap()
}

/// What the file says of a force on `day` (a whole date, not a month's
/// end): `Some(Some(since))` in Engage, `Some(None)` not, `None` unknown.
/// Each move falls between the first and last day its written date can
/// be (a year, a month, a day), kept in file order between its
/// neighbours, and by the record's `end`; an undated move only between
/// its neighbours. Where a move may fall either side of `day`, it is open.
fn engage_on(moves: &[(bool, String)], day: &str, end: &str) -> Option<Option<String>> {
    let pad = |d: &str, tail: &str| format!("{d}{}", &tail[d.len()..]);
    let mut lo: Vec<String> = Vec::new();
    for (_, d) in moves {
        let own = if d.is_empty() { "0000-01-01".to_string() } else { pad(d, "0000-01-01") };
        lo.push(own.max(lo.last().cloned().unwrap_or_default()));
    }
    let mut hi: Vec<String> = vec![String::new(); moves.len()];
    let mut next = end.to_string();
    for (i, (_, d)) in moves.iter().enumerate().rev() {
        let own = if d.is_empty() { "9999-12-31".to_string() } else { pad(d, "0000-12-31") };
        next = own.min(next);
        hi[i] = next.clone();
    }
    let happened = hi.iter().take_while(|h| h.as_str() <= day).count();
    let may_have = lo.iter().take_while(|l| l.as_str() <= day).count();
    if happened != may_have {
        return None;
    }
    Some(match happened.checked_sub(1).map(|i| &moves[i]) {
        Some((true, date)) => Some(date.clone()),
        _ => None,
    })
}

#[test]
fn a_force_in_engage_is_marked_with_its_date_as_the_data_says() {
    let moves = engage_moves();
    let end = record_end();
    assert_eq!(end, "2025-07-30", "the record's end moved: check the dates below still fall either side");
    for (as_of, day) in
        [(None, end.as_str()), (Some("2023-06-15"), "2023-06-15"), (Some("2019-06-15"), "2019-06-15")]
    {
        let src = match as_of {
            Some(d) => format!("forces as of {d}"),
            None => "forces".to_string(),
        };
        let grid = Grid::from_rows(&picture_rows(&src)).expect("a grid");
        let text = draw(&src, Format::Grid, &RenderOptions::default());
        let label = grid.rows.iter().map(|r| r.short.chars().count()).max().unwrap().clamp(4, 40);
        let (mut marked, mut unknown) = (0, 0);
        for (r, row) in grid.rows.iter().enumerate() {
            let expected = engage_on(moves.get(&row.full).map_or(&[][..], |m| &m[..]), day, &end);
            let (mark, words) = match &expected {
                Some(Some(since)) => (Some("E"), Some(format!("in Engage since {since}"))),
                Some(None) => (None, None),
                None => (Some("?"), Some("Engage status unknown".to_string())),
            };
            assert_eq!(grid.engage_mark(r), mark, "{src}: {}", row.full);
            assert_eq!(grid.engage_words(r), words, "{src}: {}", row.full);
            // the grid's line: the mark just after the name
            let line = text.lines().find(|l| l.starts_with(&format!("{} ", row.short))).expect("a row line");
            let at: String = line.chars().skip(label).take(3).collect();
            assert_eq!(at, format!(" {} ", mark.unwrap_or(" ")), "{src}: {line}");
            if let (Some(m), Some(w)) = (mark, &words) {
                assert!(
                    text.contains(&format!("  {m}  {} — {w}\n", row.full)),
                    "{src}: {}\n{text}",
                    row.full
                );
                marked += usize::from(m == "E");
                unknown += usize::from(m == "?");
            }
        }
        let legend = format!("E in Engage (HMICFRS enhanced monitoring) as of {day}\n");
        assert_eq!(text.contains(&legend), marked > 0, "{src}: {legend}\n{text}");
        let unknown_line = "? Engage status unknown (an undated move into or out of Engage leaves it open)\n";
        assert_eq!(text.contains(unknown_line), unknown > 0, "{src}\n{text}");
        // the query's own engage column agrees, row for row
        let own = engine().query(&format!("{src} where engage select name")).expect("runs");
        assert_eq!(own.len(), marked, "{src}");
        match as_of {
            None => assert_eq!((marked, unknown), (1, 0), "only Lincolnshire, at the record's end"),
            Some("2023-06-15") => assert!(marked >= 6 && unknown >= 1, "{marked} {unknown}"),
            _ => assert!(unknown >= 1, "Cleveland entered in 2019, month unknown"),
        }
    }
}

#[test]
fn golden_engage_marks_in_the_grid() {
    // Lincolnshire in Engage at the record's end; Nottinghamshire left on 2025-05-22
    let out = draw(r#"forces where region = "East Midlands""#, Format::Grid, &RenderOptions::default());
    assert!(out.contains("Lincolnshire     E  "), "{out}");
    assert!(out.contains("Nottinghamshire     A"), "{out}");
    golden("east_midlands_engage", &out);
    // as of 2024-06-30 it is the other way round: Nottinghamshire in since
    // 2024-03-11, Lincolnshire not yet (it entered on 2024-12-06)
    let out = draw(
        r#"forces as of 2024-06-30 where region = "East Midlands""#,
        Format::Grid,
        &RenderOptions::default(),
    );
    assert!(out.contains("Lincolnshire        ·") && out.contains("Nottinghamshire  E  A"), "{out}");
    golden("engage_as_of", &out);
    // and as of 2019-06-30 Cleveland's entry (in 2019, month unknown) leaves it open
    let out = draw(
        r#"forces as of 2019-06-30 where region = "North East""#,
        Format::Grid,
        &RenderOptions::default(),
    );
    assert!(
        out.contains("Cleveland   ?  G") && out.contains("  ?  Cleveland Police — Engage status unknown\n"),
        "{out}"
    );
    assert!(
        out.contains("No force here known to be in Engage (HMICFRS enhanced monitoring) as of 2019-06-30\n")
    );
}

#[test]
fn engage_facts_never_change_the_columns_or_leak() {
    let src = r#"forces where region = "East Midlands" select name, engage, area("responding")"#;
    let plain = engine().query(src).expect("runs");
    let pictured = picture_rows(src);
    assert!(pictured.columns.iter().any(|c| c.contains('\u{1f}')), "the session adds its facts");
    let visible = pictured.visible();
    assert_eq!(visible.columns, plain.columns);
    assert_eq!(visible.rows, plain.rows);
    for format in [Format::Table, Format::Csv, Format::Json, Format::Ndjson, Format::Markdown] {
        let out = render_with(&pictured, format, &RenderOptions::plain(), &RenderContext::query(src));
        assert_eq!(out, render_with(&plain, format, &RenderOptions::plain(), &RenderContext::query(src)));
        assert!(!out.contains('\u{1f}') && !out.contains("engage_since"), "{format:?}: {out}");
    }
    // fire and rescue services have no Engage: no mark, no legend
    let text = draw("services", Format::Grid, &RenderOptions::plain());
    assert!(text.contains("Avon") && !text.contains("Engage"), "{text}");
    // a `grades` picture marks its forces too
    let grid = Grid::from_rows(&picture_rows("grades in peel 2023")).expect("a grid");
    let lincs = grid.rows.iter().position(|r| r.full == "Lincolnshire Police").unwrap();
    assert_eq!(grid.engage_words(lincs).as_deref(), Some("in Engage since 2024-12-06"));
}

#[test]
fn html_and_svg_mark_engage_in_the_grids_words() {
    let moves = engage_moves();
    let src = "forces as of 2023-06-15";
    let grid = Grid::from_rows(&picture_rows(src)).expect("a grid");
    let text = draw(src, Format::Grid, &RenderOptions::default());
    let html = draw(src, Format::Html, &RenderOptions::plain());
    let svg = draw(src, Format::Svg, &RenderOptions::plain());
    check_xml(&html).unwrap();
    check_xml(&svg).unwrap();
    // the legend's words, the same in all three
    for (mark, words) in grid.engage_legend() {
        let esc = &words;
        assert!(text.contains(&format!("{mark} {words}")), "grid: {words}");
        assert!(html.contains(&format!(">{mark}</span> {esc}</li>")), "html: {words}");
        assert!(svg.contains(&format!(">{esc}</text>")), "svg: {words}");
    }
    assert!(html.contains("<th scope=\"col\">Engage (HMICFRS enhanced monitoring) as of 2023-06-15</th>"));
    let plain = &html[html.find("<table class=\"sr-only\">").expect("plain table")..];
    let mut marked = 0;
    for (r, row) in grid.rows.iter().enumerate() {
        let status =
            match engage_on(moves.get(&row.full).map_or(&[][..], |m| &m[..]), "2023-06-15", &record_end()) {
                Some(Some(since)) => format!("in Engage since {since}"),
                Some(None) => "not in Engage".to_string(),
                None => "Engage status unknown".to_string(),
            };
        // the screen reader's table: a status for every force
        assert!(
            plain.contains(&format!("<tr><th scope=\"row\">{}</th><td>{status}</td>", row.full)),
            "{}: {status}",
            row.full
        );
        let title = format!("{} — {status}", row.full);
        if status == "not in Engage" {
            assert!(!html.contains(&title) && !svg.contains(&title), "{title}");
            continue;
        }
        marked += 1;
        let mark = grid.engage_mark(r).unwrap();
        let class = if mark == "?" { "engage unknown" } else { "engage" };
        // the row heading's mark and tooltip, the key under the legend, the SVG row's <title>
        assert!(
            html.contains(&format!(
                "<th class=\"row\" title=\"{title}\">{} <span class=\"{class}\">{mark}</span></th>",
                row.short
            )),
            "html row: {title}"
        );
        assert!(html.contains(&format!("</span> {title}</li>")), "html key: {title}");
        assert!(svg.contains(&format!("<title>{title}</title>{}</text>", row.short)), "svg row: {title}");
        assert!(svg.contains(&format!(">{title}</text>")), "svg key: {title}");
    }
    assert!(marked >= 7, "{marked}");
    // one force's history: a note, in the same words
    let trend = draw(r#"grades in all where force = "lincs""#, Format::Grid, &RenderOptions::default());
    assert!(
        trend.contains(
            "Lincolnshire Police: in Engage (HMICFRS enhanced monitoring) since 2024-12-06, as of 2025-07-30."
        ),
        "{trend}"
    );
    assert!(
        !draw(CAMBS, Format::Grid, &RenderOptions::default()).contains("Engage"),
        "Cambridgeshire: never in"
    );
    // services: no Engage anywhere in the pictures
    for format in [Format::Html, Format::Svg] {
        assert!(!draw("services", format, &RenderOptions::plain()).contains("Engage"), "{format:?}");
    }
}

#[test]
fn several_as_of_dates_draw_a_row_per_force_and_date() {
    // the rows repeat per date; the picture keeps each, labelled with its date
    let src = r#"forces as of 2019-12-31, 2025-07-30 where region = "North East""#;
    let rows = picture_rows(src);
    let grid = Grid::from_rows(&rows).expect("a grid");
    assert_eq!(grid.rows.len(), rows.len(), "a grid row per result row");
    assert!(grid.dated);
    assert_eq!(grid.summary(), "3 forces at 2 dates × 9 areas, 50 grades");
    assert!(grid.notes.is_empty(), "no cell given twice: {:?}", grid.notes);
    let moves = engage_moves();
    for (r, row) in grid.rows.iter().enumerate() {
        let (force, date) = row.full.split_once(", as of ").expect("a dated heading");
        let expected = engage_on(moves.get(force).map_or(&[][..], |m| &m[..]), date, &record_end());
        let words = match expected {
            Some(Some(since)) => Some(format!("in Engage since {since}")),
            Some(None) => None,
            None => Some("Engage status unknown".to_string()),
        };
        assert_eq!(grid.engage_words(r), words, "{}", row.full);
    }
    // Cleveland: in Engage (since 2019) at the end of 2019, out (2023-09-20) by 2025
    let text = draw(src, Format::Grid, &RenderOptions::default());
    assert!(
        text.contains("Cleveland 2019-12-31   E  G") && text.contains("Cleveland 2025-07-30      G"),
        "{text}"
    );
    assert!(text.contains("  E  Cleveland Police, as of 2019-12-31 — in Engage since 2019\n"), "{text}");
}
