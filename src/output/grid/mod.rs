//! Pictures of grades: the grid people read inspection results as — forces
//! down the side, areas across the top, each cell the colour of its grade —
//! and the trend view of one force's history.
//!
//! [`Grid::from_rows`] builds the picture from any [`Rows`]:
//!
//! - **`grades`-shaped rows** (columns `force`, `area` and `grade`, and
//!   optionally `programme`, `theme`, `basis` and `source_url`) are pivoted
//!   to force × area. Areas with the same `theme` share a column, so older
//!   programmes' areas line up with the newest programme's.
//! - **`forces`-shaped rows** (a `name` or `force` column and one or more
//!   columns holding only grades) give one grid row per result row; the
//!   grade columns are the areas.
//! - When the rows hold **one force across several programmes**, the grid is
//!   turned into the trend view: areas (themes) down the side, programmes
//!   across the top, oldest first.
//!
//! - When a picture-drawing session added each row's Engage facts, a force
//!   in Engage is marked beside its name (see [`EngageMark`] and
//!   [`Grid::engage_legend`]).
//!
//! Rows and columns keep the order they first appear in, so a grid follows
//! the query's `order by`. The three renderers — the `grid` format for the
//! terminal, `html` for a self-contained page and `svg` for an image (see
//! [`crate::output::Format`]) — share the model and, like the rest of
//! [`crate::output`], are pure.

mod engage;
pub(crate) mod html;
mod records;
pub(super) mod svg;
pub(super) mod text;

use crate::catalog::model::Scale;
use crate::rows::Rows;
use crate::value::Grade;
pub use engage::{ENGAGE_UNKNOWN, EngageMark, IN_ENGAGE, RowEngage};
use records::{Record, force_records, grade_records};
use std::collections::HashMap;

/// Which picture a [`Grid`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GridKind {
    /// Forces (or force inspections) down the side, areas across the top.
    Forces,
    /// One force: areas (themes) down the side, programmes across the top,
    /// oldest first.
    Trend,
}

/// A row or column heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The full text: a force's official name (with the programme when a
    /// force has rows in several), an area's name, a programme's name.
    pub full: String,
    /// A short form for tight layouts: a force's name without
    /// "Constabulary" or "Police", an area's initials (`PVP`), a
    /// programme's years (`2023-25`). Equal to `full` when that is short.
    pub short: String,
    /// How many cells of this row or column hold a grade.
    pub graded: usize,
    /// For a force row, where its force stood in Engage, when the rows
    /// said (see [`Grid::engage_legend`]).
    pub engage: Option<RowEngage>,
}

/// One cell of a [`Grid`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GridCell {
    /// The grade, if there is one.
    pub grade: Option<Grade>,
    /// True when the rows had an entry for this cell, even a null grade
    /// (the source says "not graded"); false when nothing was recorded.
    pub recorded: bool,
    /// The force the cell belongs to (its official name).
    pub force: String,
    /// The area's own name in the cell's programme, where known.
    pub area: String,
    /// The programme, where known.
    pub programme: Option<String>,
    /// How the grade is known (`stated`, `elimination`, `inferred`), where
    /// the rows say.
    pub basis: Option<String>,
    /// The page the grade was read on, where the rows say.
    pub source_url: Option<String>,
}

impl GridCell {
    /// True when the grade was not stated outright by its source (it was
    /// found by elimination or inferred): pictures mark such cells with `*`.
    pub fn is_derived(&self) -> bool {
        self.grade.is_some() && self.basis.as_deref().is_some_and(|b| !b.eq_ignore_ascii_case("stated"))
    }

    /// True when a grade row is on record with no grade: the inspectorate
    /// (or the source) says the area was not graded. Pictures mark it
    /// [`NOT_GRADED`], apart from a cell with nothing on record.
    pub fn is_not_graded(&self) -> bool {
        self.grade.is_none() && self.recorded
    }

    /// The cell's code: `O`, `G`, `A`, `RI` or `I`, or `None` for no grade.
    pub fn code(&self) -> Option<&'static str> {
        self.grade.map(Grade::code)
    }

    /// One line describing the cell, for tooltips and screen readers:
    /// `Cambridgeshire Constabulary, Responding to the public, PEEL 2023-25:
    /// inadequate (stated)`.
    pub fn describe(&self) -> String {
        let mut s = self.force.clone();
        if !self.area.is_empty() {
            s.push_str(", ");
            s.push_str(&self.area);
        }
        if let Some(p) = &self.programme {
            s.push_str(", ");
            s.push_str(p);
        }
        s.push_str(": ");
        match self.grade {
            Some(g) => {
                s.push_str(g.name());
                if let Some(b) = &self.basis {
                    s.push_str(&format!(" ({b})"));
                }
            }
            None if self.recorded => s.push_str("not graded"),
            None => s.push_str("no grade on record"),
        }
        s
    }
}

/// The mark of a cell the source says was not graded.
pub const NOT_GRADED: &str = "NG";

/// A grid of grades, ready to draw: headings, cells and what they came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    /// Which picture this is.
    pub kind: GridKind,
    /// What the rows are: `force`, `service` or `area`.
    pub row_heading: String,
    /// What the grades belong to: `force` (a police force) or `service` (a
    /// fire and rescue service), from the rows' `kind`; `force` when the
    /// rows do not say.
    pub body: String,
    /// The grading scales of the grades' programmes, four-tier first, where
    /// the rows say (see [`Grid::legend_grades`]).
    pub scales: Vec<Scale>,
    /// What the columns are: `area` or `programme`.
    pub column_heading: String,
    /// The row headings, in order.
    pub rows: Vec<Header>,
    /// The column headings, in order.
    pub columns: Vec<Header>,
    /// `cells[r][c]` is the cell of row `r` and column `c`.
    pub cells: Vec<Vec<GridCell>>,
    /// The programmes the grades come from, oldest first.
    pub programmes: Vec<String>,
    /// The force of a trend view.
    pub force: Option<String>,
    /// Remarks about how the rows were drawn (cells given twice, …).
    pub notes: Vec<String>,
    /// When the rows said where each force stood in Engage, the distinct
    /// dates they answer for, in date order; `None` when they did not.
    pub engage_as_of: Option<Vec<String>>,
    /// True when each row is a force as of one of several `as of` dates
    /// (`forces as of 2019-12-31, 2025-07-30`), labelled with its date.
    pub dated: bool,
}

/// What the renderers say when there is nothing to draw as a grid.
pub(super) const NO_GRID_NOTE: &str =
    "No grades by force and area to draw, so the result is shown as a table.";

impl Grid {
    /// Builds the picture of `rows`, or `None` when the rows hold no grades
    /// to draw (see the module documentation for the shapes understood).
    pub fn from_rows(rows: &Rows) -> Option<Grid> {
        if let Some(records) = grade_records(rows) {
            return build(records);
        }
        let (records, empty, not_areas) = force_records(rows)?;
        let mut grid = build(records)?;
        if !not_areas.is_empty() {
            // columns such as `previous(area(…))` or a renamed area: the
            // cells say what the column is, not an area of the row's programme
            let keys: Vec<String> = not_areas.iter().map(|n| n.to_lowercase()).collect();
            for (c, col) in grid.columns.iter().enumerate() {
                if keys.contains(&col.full.to_lowercase()) {
                    for row in &mut grid.cells {
                        row[c].programme = None;
                    }
                }
            }
            grid.column_heading = "column".into();
            grid.programmes.clear();
        }
        if !empty.is_empty() {
            grid.notes.push(format!("Left out, as no row has a grade in it: {}.", empty.join(", ")));
        }
        Some(grid)
    }

    /// A title for the picture: `Cambridgeshire Constabulary: grades by
    /// programme, PEEL 2016 to PEEL 2023-25`, `Grades by force and area,
    /// PEEL 2023-25` or `Grades by service and area, FRS 2021-22`.
    pub fn title(&self) -> String {
        let span = programme_span(&self.programmes);
        let body = &self.body;
        match (self.kind, &self.force) {
            (GridKind::Trend, Some(force)) => format!("{force}: grades by programme, {span}"),
            _ if self.column_heading != "area" => format!("Grades by {body}"),
            _ if span.is_empty() => format!("Grades by {body} and area"),
            _ => format!("Grades by {body} and area, {span}"),
        }
    }

    /// True when the grades are fire and rescue services'.
    pub fn is_fire(&self) -> bool {
        self.body == "service"
    }

    /// The grades the legend lists, best first: the four-tier scale's
    /// (no `adequate`) when every programme shown is on it, else all five.
    pub fn legend_grades(&self) -> Vec<Grade> {
        match self.scales.as_slice() {
            [Scale::FourTier] if !self.cells.iter().flatten().any(|c| c.grade == Some(Grade::Adequate)) => {
                Scale::FourTier.grades()
            }
            _ => Scale::FiveTier.grades(),
        }
    }

    /// The legend's word for `grade`: its name, and for `adequate` in a
    /// picture of four-tier and five-tier programmes together, that only
    /// the five-tier ones have it.
    pub fn legend_word(&self, grade: Grade) -> String {
        if grade == Grade::Adequate && self.scales.len() > 1 {
            "adequate (five-tier programmes only)".to_string()
        } else {
            grade.name().to_string()
        }
    }

    /// Who graded what, for a picture's footer.
    pub fn credit(&self) -> &'static str {
        if self.is_fire() {
            "HMICFRS fire and rescue service inspections"
        } else {
            "HMICFRS PEEL inspections"
        }
    }

    /// The number of cells that hold a grade.
    pub fn graded(&self) -> usize {
        self.cells.iter().flatten().filter(|c| c.grade.is_some()).count()
    }

    /// True when some cell is on record as not graded.
    pub fn has_not_graded(&self) -> bool {
        self.cells.iter().flatten().any(GridCell::is_not_graded)
    }

    /// True when some cell's grade was found by elimination or inferred.
    pub fn has_derived(&self) -> bool {
        self.cells.iter().flatten().any(GridCell::is_derived)
    }

    /// The distinct source pages of the cells, in the order the cells are
    /// read (row by row), each with the cells it supports.
    pub fn sources(&self) -> Vec<(String, Vec<(usize, usize)>)> {
        let mut out: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (r, row) in self.cells.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let Some(url) = cell.source_url.as_deref().filter(|u| !u.is_empty()) else { continue };
                match index.get(url) {
                    Some(&i) => out[i].1.push((r, c)),
                    None => {
                        index.insert(url, out.len());
                        out.push((url.to_string(), vec![(r, c)]));
                    }
                }
            }
        }
        out
    }

    /// A one-line summary: `43 forces × 9 areas, 293 grades`.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| {
            let words = match word {
                "force" => "forces",
                "service" => "services",
                "area" => "areas",
                "programme" => "programmes",
                "grade" => "grades",
                "column" => "columns",
                "date" => "dates",
                "inspection" => "inspections",
                other => return format!("{n} {other}"),
            };
            if n == 1 { format!("{n} {word}") } else { format!("{n} {words}") }
        };
        // rows of one force in several programmes: forces and their inspections
        let forces = distinct(self.cells.iter().filter_map(|r| r.first()).map(|c| c.force.clone())).len();
        let dates = self.engage_as_of.as_ref().map_or(0, Vec::len);
        let rows = if self.kind == GridKind::Forces && self.dated {
            format!("{} at {}", plural(forces, &self.body), plural(dates, "date"))
        } else if self.kind == GridKind::Forces && forces < self.rows.len() {
            format!("{}, {}", plural(forces, &self.body), plural(self.rows.len(), "inspection"))
        } else {
            plural(self.rows.len(), &self.row_heading)
        };
        format!(
            "{} × {}, {}",
            rows,
            plural(self.columns.len(), &self.column_heading),
            plural(self.graded(), "grade")
        )
    }
}

/// "PEEL 2023-25", "PEEL 2021-22 and PEEL 2023-25", "PEEL 2014 to PEEL 2023-25".
fn programme_span(programmes: &[String]) -> String {
    match programmes {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [first, .., last] => format!("{first} to {last}"),
    }
}

/// Builds the grid from records.
fn build(records: Vec<Record>) -> Option<Grid> {
    if !records.iter().any(|r| r.grade.is_some()) {
        return None;
    }
    let forces = distinct(records.iter().map(|r| r.force.clone()));
    let mut programmes: Vec<String> = distinct(records.iter().filter_map(|r| r.programme.clone()));
    programmes.sort_by_key(|p| programme_order(p));
    let newest = |p: &Option<String>| p.as_ref().and_then(|p| programmes.iter().position(|x| x == p));

    // The label of each area key: the area's name in the newest programme
    // that has it.
    let mut area_label: AreaLabels = HashMap::new();
    for r in &records {
        let rank = newest(&r.programme);
        match area_label.get(&r.area_key) {
            Some((best, _)) if *best >= rank => {}
            _ => {
                area_label.insert(r.area_key.clone(), (rank, r.area_label.clone()));
            }
        }
    }

    let trend = forces.len() == 1 && programmes.len() >= 2;
    let mut notes = Vec::new();
    let layout = if trend {
        trend_layout(&records, &programmes, &area_label)
    } else {
        forces_layout(&records, &area_label, programmes.len() > 1)
    };
    let Layout { kind, row_keys, col_keys, row_full, row_short, col_full, keys, dated } = layout;

    let row_index: HashMap<&String, usize> = row_keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let col_index: HashMap<&String, usize> = col_keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let mut cells = vec![vec![GridCell::default(); col_keys.len()]; row_keys.len()];
    for (r, row) in cells.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            // what an empty cell is about, for its tooltip
            match kind {
                GridKind::Trend => {
                    cell.force = forces[0].clone();
                    cell.area = row_full[r].clone();
                    cell.programme = Some(col_keys[c].clone());
                }
                GridKind::Forces => {
                    let (force, programme, _) = key_parts(&row_keys[r]);
                    cell.force = force.to_string();
                    cell.area = col_full[c].clone();
                    cell.programme = (!programme.is_empty()).then(|| programme.to_string());
                }
            }
        }
    }
    let mut twice = 0;
    let mut filled = vec![vec![false; col_keys.len()]; row_keys.len()];
    for (rec, (rk, ck)) in records.iter().zip(&keys) {
        let (Some(&r), Some(&c)) = (row_index.get(rk), col_index.get(ck)) else { continue };
        let cell = &mut cells[r][c];
        if filled[r][c] {
            twice += 1;
            continue;
        }
        filled[r][c] = true;
        *cell = GridCell {
            grade: rec.grade,
            recorded: rec.recorded,
            force: rec.force.clone(),
            area: rec.area.clone(),
            programme: rec.programme.clone().or_else(|| cell.programme.clone()),
            basis: rec.basis.clone(),
            source_url: rec.source_url.clone(),
        };
    }
    if twice > 0 {
        notes.push(format!(
            "{twice} grade{} fell in a cell already filled; the first is shown.",
            if twice == 1 { "" } else { "s" }
        ));
    }
    let col_short = match kind {
        GridKind::Trend => col_full.iter().map(|p| short_programme(p)).collect(),
        GridKind::Forces => abbreviate(&col_full),
    };
    let mut rows: Vec<Header> = row_full
        .into_iter()
        .zip(row_short)
        .enumerate()
        .map(|(i, (full, short))| Header {
            full,
            short,
            graded: cells[i].iter().filter(|c| c.grade.is_some()).count(),
            engage: None,
        })
        .collect();
    let columns: Vec<Header> = col_full
        .into_iter()
        .zip(col_short)
        .enumerate()
        .map(|(i, (full, short))| Header {
            full,
            short,
            graded: cells.iter().filter(|row| row[i].grade.is_some()).count(),
            engage: None,
        })
        .collect();
    let fire = crate::catalog::Kind::Fire.name();
    let body = if records.iter().all(|r| r.kind.as_deref() == Some(fire)) { "service" } else { "force" };
    let (row_heading, column_heading) = match kind {
        GridKind::Trend => ("area", "programme"),
        GridKind::Forces => (body, "area"),
    };
    let mut scales = Vec::new();
    for scale in [Scale::FourTier, Scale::FiveTier] {
        if records.iter().any(|r| r.scale.as_deref() == Some(scale.name())) {
            scales.push(scale);
        }
    }
    let engage_as_of = engage::attach(kind, &records, &keys, &row_keys, &mut rows, &mut notes);
    Some(Grid {
        kind,
        row_heading: row_heading.into(),
        body: body.into(),
        scales,
        column_heading: column_heading.into(),
        rows,
        columns,
        cells,
        programmes,
        force: trend.then(|| forces[0].clone()),
        notes,
        engage_as_of,
        dated,
    })
}

/// Where each record goes: the grid's kind, its row and column keys and
/// headings, and each record's (row key, column key).
struct Layout {
    kind: GridKind,
    row_keys: Vec<String>,
    col_keys: Vec<String>,
    row_full: Vec<String>,
    row_short: Vec<String>,
    col_full: Vec<String>,
    keys: Vec<(String, String)>,
    /// A row per force and `as of` date.
    dated: bool,
}

/// The label of each area key and the programme it was taken from.
type AreaLabels = HashMap<String, (Option<usize>, String)>;

/// One force's history: areas (themes) down the side, ordered as in the
/// newest programme with older programmes' areas merged in; programmes
/// across, oldest first.
fn trend_layout(records: &[Record], programmes: &[String], area_label: &AreaLabels) -> Layout {
    let mut groups: Vec<Vec<String>> = Vec::new();
    for p in programmes.iter().rev() {
        groups.push(distinct(
            records.iter().filter(|r| r.programme.as_ref() == Some(p)).map(|r| r.area_key.clone()),
        ));
    }
    groups.push(distinct(records.iter().filter(|r| r.programme.is_none()).map(|r| r.area_key.clone())));
    let row_keys = merge_order(&groups);
    let row_full: Vec<String> = row_keys.iter().map(|k| area_label[k].1.clone()).collect();
    Layout {
        kind: GridKind::Trend,
        row_short: row_full.clone(),
        row_full,
        col_keys: programmes.to_vec(),
        col_full: programmes.to_vec(),
        keys: records.iter().map(|r| (r.area_key.clone(), r.programme.clone().unwrap_or_default())).collect(),
        row_keys,
        dated: false,
    }
}

/// A forces grid's row key: the force, the programme when the grades span
/// several, and the `as of` date when a force's rows answer for several.
fn key_parts(key: &str) -> (&str, &str, &str) {
    let mut parts = key.splitn(3, '\u{0}');
    (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""))
}

/// The `as of` date a record's row answers for, if the rows said.
fn as_of_of(r: &Record) -> &str {
    r.engage.as_ref().and_then(|e| e.as_of.as_deref()).unwrap_or("")
}

/// True when some force's records answer for more than one `as of` date
/// (`forces as of 2019-12-31, 2025-07-30`): each date gets its own row.
fn several_dates(records: &[Record]) -> bool {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    records.iter().any(|r| *seen.entry(r.force.as_str()).or_insert(as_of_of(r)) != as_of_of(r))
}

/// Forces down the side, areas across in the order they come. When the
/// grades span several programmes (`split`), a row is one force's grades in
/// one programme, labelled with both; when a force's rows answer for
/// several `as of` dates, one row per date, labelled with it.
fn forces_layout(records: &[Record], area_label: &AreaLabels, split: bool) -> Layout {
    let dated = several_dates(records);
    let row_key = |r: &Record| match (split, dated) {
        (false, false) => r.force.clone(),
        _ => format!(
            "{}\u{0}{}\u{0}{}",
            r.force,
            if split { r.programme.as_deref().unwrap_or("") } else { "" },
            if dated { as_of_of(r) } else { "" }
        ),
    };
    let keys: Vec<(String, String)> = records.iter().map(|r| (row_key(r), r.area_key.clone())).collect();
    let row_keys = distinct(keys.iter().map(|k| k.0.clone()));
    let groups: Vec<Vec<String>> = row_keys
        .iter()
        .map(|row| distinct(keys.iter().filter(|k| &k.0 == row).map(|k| k.1.clone())))
        .collect();
    let col_keys = merge_order(&groups);
    // the data set's short names where the rows carry them
    let shorts: HashMap<&str, &str> =
        records.iter().filter_map(|r| Some((r.force.as_str(), r.short.as_deref()?))).collect();
    let label = |k: &String, short: bool| {
        let (force, programme, date) = key_parts(k);
        let force = match shorts.get(force) {
            Some(s) if short && !s.is_empty() => s.to_string(),
            _ if short => short_force(force),
            _ => force.to_string(),
        };
        let with_programme = match (programme, short) {
            ("", _) => force,
            (p, true) => format!("{force} {}", short_programme(p)),
            (p, false) => format!("{force}, {p}"),
        };
        match (date, short) {
            ("", _) => with_programme,
            (d, true) => format!("{with_programme} {d}"),
            (d, false) => format!("{with_programme}, as of {d}"),
        }
    };
    Layout {
        kind: GridKind::Forces,
        row_full: row_keys.iter().map(|k| label(k, false)).collect(),
        row_short: row_keys.iter().map(|k| label(k, true)).collect(),
        col_full: col_keys.iter().map(|k| area_label[k].1.clone()).collect(),
        row_keys,
        col_keys,
        keys,
        dated,
    }
}

/// The distinct values, in the order they first appear.
fn distinct(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items.filter(|i| seen.insert(i.clone())).collect()
}

/// Merges several orderings of keys into one: each group's keys keep their
/// order, a key not yet placed goes just after the group's key before it
/// (or just before the one after it), and keys of earlier groups come
/// first.
fn merge_order(groups: &[Vec<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for group in groups {
        for (j, key) in group.iter().enumerate() {
            if out.contains(key) {
                continue;
            }
            let after = group[..j].iter().rev().find_map(|k| out.iter().position(|o| o == k));
            let before = group[j + 1..].iter().find_map(|k| out.iter().position(|o| o == k));
            let at = match (after, before) {
                (Some(a), _) => a + 1,
                (None, Some(b)) => b,
                (None, None) => out.len(),
            };
            out.insert(at, key.clone());
        }
    }
    out
}

/// Sort key for programme names: the first year in the name, then the name
/// (`PEEL 2018-19` after `PEEL 2017`).
fn programme_order(name: &str) -> (u32, String) {
    let digits: String =
        name.chars().skip_while(|c| !c.is_ascii_digit()).take_while(|c| c.is_ascii_digit()).collect();
    (digits.parse().unwrap_or(u32::MAX), name.to_string())
}

/// A programme's years: `PEEL 2023-25` → `2023-25`.
pub(super) fn short_programme(name: &str) -> String {
    let trimmed = name.trim();
    match trimmed.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("peel ") => trimmed[5..].trim().to_string(),
        _ => trimmed.to_string(),
    }
}

/// A force's or service's name without its kind: `Cambridgeshire
/// Constabulary` → `Cambridgeshire`, `Metropolitan Police Service` →
/// `Metropolitan`, `Avon Fire and Rescue Service` → `Avon`, `London Fire
/// Brigade` → `London`.
pub(super) fn short_force(name: &str) -> String {
    for suffix in [
        " Constabulary",
        " Police Service",
        " Police",
        " Fire and Rescue Service",
        " Fire and Rescue Authority",
        " Fire and Rescue",
        " Fire Brigade",
        " Fire Service",
    ] {
        if let Some(stem) = name.strip_suffix(suffix) {
            if !stem.trim().is_empty() {
                return stem.to_string();
            }
        }
    }
    name.to_string()
}

/// Words left out of initials.
const MINOR_WORDS: &[&str] =
    &["a", "an", "and", "the", "of", "to", "for", "in", "on", "about", "with", "by", "at", "or"];

/// At most this many characters in an area's short form.
pub(super) const SHORT_AREA: usize = 4;

/// Short, distinct forms of area names for column headers: the name itself
/// when it is short, else the initials of its words (`Protecting vulnerable
/// people` → `PVP`, `Effectiveness Q4` → `EQ4`), else its first letters
/// (`Effectiveness` → `Eff`); a form already taken is a one-word name's
/// first four letters (`Efficiency` → `Effi`), else gets a digit.
pub(super) fn abbreviate(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let base = abbreviation(name);
        let mut candidate = base.clone();
        if out.contains(&candidate) {
            // one word cut short (`Eff`): more of it tells it apart (`Effi`)
            let longer: String = name.chars().filter(|c| c.is_alphanumeric()).take(SHORT_AREA).collect();
            if !name.trim().contains(char::is_whitespace) && !out.contains(&longer) {
                candidate = longer;
            }
        }
        let mut n = 2;
        while out.contains(&candidate) {
            let digits = n.to_string();
            let keep = SHORT_AREA.saturating_sub(digits.len()).min(base.chars().count());
            candidate = base.chars().take(keep).collect::<String>() + &digits;
            n += 1;
        }
        out.push(candidate);
    }
    out
}

fn abbreviation(name: &str) -> String {
    if name.chars().count() <= SHORT_AREA {
        return name.to_string();
    }
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/' || c == ',')
        .filter(|w| !w.is_empty() && !MINOR_WORDS.contains(&w.to_lowercase().as_str()))
        .collect();
    if words.len() >= 2 {
        let mut s = String::new();
        for w in &words {
            if w.chars().any(|c| c.is_ascii_digit()) {
                // a question number: keep its digits (`Q4` → `Q4`)
                s.extend(w.chars().filter(|c| c.is_alphanumeric()).map(|c| c.to_ascii_uppercase()));
            } else if let Some(c) = w.chars().find(|c| c.is_alphanumeric()) {
                s.extend(c.to_uppercase());
            }
        }
        return s.chars().take(SHORT_AREA).collect();
    }
    let word = words.first().copied().unwrap_or(name);
    let mut chars = word.chars().filter(|c| c.is_alphanumeric());
    let mut s: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    s.extend(chars.take(2));
    s
}

#[cfg(test)]
mod tests;
