//! Checking an import against the data set: every row of the file against
//! the catalog, the stored grades and the other rows, collecting every
//! problem.

use super::*;
use crate::catalog::programme_key;

/// The state of a check: the tables as they would become, and what was
/// found.
pub(super) struct Check {
    pub(super) tables: Tables,
    pub(super) summary: ImportSummary,
    pub(super) problems: Problems,
    /// Keys of declared programmes whose declaration has a problem: rows of
    /// theirs are not checked, so one bad year is one problem, not one per row.
    pub(super) unreadable_programmes: std::collections::HashSet<String>,
}

/// The help for a force name the catalog does not hold exactly: the force
/// it finds loosely or the nearest names ("did you mean"), or the forces it
/// could be when the name is ambiguous.
pub(super) fn force_help(cat: &Catalog, name: &str) -> Option<String> {
    match cat.find_force(name) {
        Ok(id) => did_you_mean(&[cat.force(id).name.clone()]),
        Err(LookupError::NotFound { suggestions }) => did_you_mean(&suggestions),
        Err(LookupError::Ambiguous { candidates }) => Some(format!("it could be {}", candidates.join(", "))),
        Err(LookupError::NotInScope { .. }) => None,
    }
}

fn sorted(list: &[String]) -> Vec<String> {
    let mut v = list.to_vec();
    v.sort();
    v
}

impl Check {
    pub(super) fn problem(&mut self, row: &Row<'_>, column: &str, message: String, help: Option<String>) {
        let mut p = row.problem_at(column, message);
        p.help = help;
        self.problems.push_problem(p);
    }

    /// Declared programmes; returns the keys of the new ones.
    pub(super) fn programmes(&mut self, cat: &Catalog, rows: Vec<Row<'_>>) -> HashMap<String, String> {
        let mut new: HashMap<String, String> = HashMap::new();
        let mut lines: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let Some(rec) = programme_record(&row, &mut self.problems) else {
                self.unreadable_programmes.insert(programme_key(row.get("programme")));
                continue;
            };
            if rec.name.is_empty() {
                self.problem(&row, "programme", "a programme needs a name".into(), None);
                continue;
            }
            let key = programme_key(&rec.name);
            if let Some(first) = lines.insert(key.clone(), row.line()) {
                let msg = format!("{:?} is declared twice (first on line {first})", rec.name);
                self.problem(&row, "programme", msg, None);
                continue;
            }
            if let Some(id) = cat.programme_id(&rec.name) {
                let p = cat.programme(id);
                let stored = ProgrammeRecord {
                    name: p.name.clone(),
                    start_year: p.start_year,
                    end_year: p.end_year,
                    scale: p.scale,
                    aliases: p.aliases.clone(),
                };
                let differs = [
                    ("start_year", rec.start_year != stored.start_year),
                    ("end_year", rec.end_year != stored.end_year),
                    ("scale", rec.scale != stored.scale),
                    ("aliases", sorted(&rec.aliases) != sorted(&stored.aliases)),
                ];
                if let Some((column, _)) = differs.iter().find(|(_, d)| *d) {
                    let msg = format!(
                        "{:?} is already a programme ({}–{}, {}, aliases {:?}); a declaration of it must match",
                        stored.name,
                        stored.start_year,
                        stored.end_year,
                        stored.scale.name(),
                        stored.aliases.join(";")
                    );
                    self.problem(&row, column, msg, None);
                }
                continue;
            }
            let mut clash = false;
            for alias in &rec.aliases {
                let other = cat
                    .programme_id(alias)
                    .map(|id| cat.programme(id).name.clone())
                    .or_else(|| new.get(&programme_key(alias)).filter(|n| **n != rec.name).cloned());
                if let Some(other) = other {
                    self.problem(&row, "aliases", format!("the alias {alias:?} already names {other}"), None);
                    clash = true;
                }
            }
            if clash {
                continue;
            }
            for name in std::iter::once(&rec.name).chain(&rec.aliases) {
                new.insert(programme_key(name), rec.name.clone());
            }
            self.summary.programmes_added += 1;
            self.tables.programmes.push(rec);
        }
        new
    }

    /// Declared themes; returns the keys and aliases of the new ones, each
    /// with its theme's key.
    pub(super) fn themes(&mut self, cat: &Catalog, rows: Vec<Row<'_>>) -> HashMap<String, String> {
        let mut new: HashMap<String, String> = HashMap::new();
        let mut lines: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let rec = theme_record(&row);
            if rec.key.is_empty() || rec.name.is_empty() {
                let column = if rec.key.is_empty() { "theme" } else { "name" };
                self.problem(&row, column, format!("a theme needs a `{column}`"), None);
                continue;
            }
            let key = normalise(&rec.key);
            if let Some(first) = lines.insert(key.clone(), row.line()) {
                self.problem(
                    &row,
                    "theme",
                    format!("{key:?} is declared twice (first on line {first})"),
                    None,
                );
                continue;
            }
            if let Some(t) = cat.themes.iter().find(|t| normalise(&t.key) == key) {
                let stored =
                    ThemeRecord { key: t.key.clone(), name: t.name.clone(), aliases: t.aliases.clone() };
                let column = if rec.name != stored.name {
                    Some("name")
                } else if sorted(&rec.aliases) != sorted(&stored.aliases) {
                    Some("aliases")
                } else {
                    None
                };
                if let Some(column) = column {
                    let msg = format!(
                        "{key:?} is already a theme ({:?}, aliases {:?}); a declaration of it must match",
                        stored.name,
                        stored.aliases.join(";")
                    );
                    self.problem(&row, column, msg, None);
                }
                continue;
            }
            let mut clash = false;
            for (column, name) in
                std::iter::once(("theme", &rec.key)).chain(rec.aliases.iter().map(|a| ("aliases", a)))
            {
                let other = cat
                    .theme_id(name)
                    .map(|id| cat.theme(id).key.clone())
                    .or_else(|| new.get(&normalise(name)).filter(|k| **k != rec.key).cloned());
                if let Some(other) = other {
                    self.problem(&row, column, format!("{name:?} already names the theme {other:?}"), None);
                    clash = true;
                }
            }
            if clash {
                continue;
            }
            for name in std::iter::once(&rec.key).chain(&rec.aliases) {
                new.insert(normalise(name), rec.key.clone());
            }
            self.summary.themes_added += 1;
            self.tables.themes.push(rec);
        }
        new
    }

    /// Declared areas.
    pub(super) fn areas(
        &mut self,
        cat: &Catalog,
        rows: Vec<Row<'_>>,
        new_programmes: &HashMap<String, String>,
        new_themes: &HashMap<String, String>,
    ) {
        // (programme key, area key) → line; (programme key, theme key) → area label
        let mut lines: HashMap<(String, String), usize> = HashMap::new();
        let mut themes_used: HashMap<(String, String), String> = HashMap::new();
        for row in rows {
            let given = row.get("programme");
            let (programme_name, existing) = match cat.programme_id(given) {
                Some(id) => (cat.programme(id).name.clone(), Some(id)),
                None => match new_programmes.get(&programme_key(given)) {
                    Some(name) => (name.clone(), None),
                    None if self.unreadable_programmes.contains(&programme_key(given)) => continue,
                    None => {
                        let mut names: Vec<&str> = cat.programmes.iter().map(|p| p.name.as_str()).collect();
                        names.extend(new_programmes.values().map(String::as_str));
                        let help = did_you_mean(&suggest(given, names));
                        self.problem(&row, "programme", format!("no programme is called {given:?}"), help);
                        continue;
                    }
                },
            };
            let theme_given = row.get("theme");
            let theme = match cat.theme_id(theme_given) {
                Some(id) => cat.theme(id).key.clone(),
                None => match new_themes.get(&normalise(theme_given)) {
                    Some(key) => key.clone(),
                    None => {
                        let mut names: Vec<&str> = cat.themes.iter().map(|t| t.key.as_str()).collect();
                        names.extend(new_themes.values().map(String::as_str));
                        let help = did_you_mean(&suggest(theme_given, names))
                            .or_else(|| Some("declare it in a `theme` row".into()));
                        self.problem(&row, "theme", format!("no theme is called {theme_given:?}"), help);
                        continue;
                    }
                },
            };
            let mut rec = area_record(&row, theme.clone());
            rec.programme = programme_name.clone();
            if rec.name.is_empty() {
                self.problem(&row, "area", "an area needs a name".into(), None);
                continue;
            }
            let pkey = programme_key(&programme_name);
            if let Some(first) = lines.insert((pkey.clone(), normalise(&rec.name)), row.line()) {
                let msg =
                    format!("{:?} of {programme_name} is declared twice (first on line {first})", rec.name);
                self.problem(&row, "area", msg, None);
                continue;
            }
            if let Some(area) = existing.and_then(|p| cat.area_id(p, &rec.name)) {
                let a = cat.area(area);
                let differs = [
                    ("theme", cat.theme(a.theme).key != rec.theme),
                    ("pillar", a.pillar != rec.pillar),
                    ("question_text", a.question != rec.question),
                    ("source_url", a.source_url != rec.source_url),
                ];
                if let Some((column, _)) = differs.iter().find(|(_, d)| *d) {
                    let msg = format!(
                        "{:?} is already an area of {programme_name} with another {column}; a declaration of it must match",
                        a.name
                    );
                    self.problem(&row, column, msg, None);
                }
                continue;
            }
            let taken = existing
                .and_then(|p| cat.theme_id(&theme).and_then(|t| cat.area_of_theme(t, p)))
                .map(|a| cat.area(a).name.clone())
                .or_else(|| themes_used.get(&(pkey.clone(), theme.clone())).cloned());
            if let Some(other) = taken {
                let msg = format!("{programme_name} already has an area of the theme {theme:?}: {other:?}");
                self.problem(
                    &row,
                    "theme",
                    msg,
                    Some("each programme has at most one area per theme".into()),
                );
                continue;
            }
            themes_used.insert((pkey, theme), rec.name.clone());
            self.summary.areas_added += 1;
            self.tables.areas.push(rec);
        }
    }

    /// Resolves a grade row's names against `cat`; `None` (with problems)
    /// when one does not resolve.
    pub(super) fn resolve(
        &mut self,
        cat: &Catalog,
        row: &Row<'_>,
        rec: &GradeRecord,
    ) -> Option<(ForceId, ProgrammeId, AreaId)> {
        let force = cat.force_id(&rec.force);
        if force.is_none() {
            let help = force_help(cat, &rec.force);
            self.problem(row, "force", format!("no force is called {:?}", rec.force), help);
        }
        let programme = cat.programme_id(&rec.programme);
        if programme.is_none() && self.unreadable_programmes.contains(&programme_key(&rec.programme)) {
            return None;
        }
        if programme.is_none() {
            let help = match cat.find_programme(&rec.programme) {
                Err(LookupError::NotFound { suggestions }) => did_you_mean(&suggestions),
                _ => None,
            }
            .or_else(|| Some("a new programme is declared in a `programme` row".into()));
            self.problem(row, "programme", format!("no programme is called {:?}", rec.programme), help);
        }
        let programme = programme?;
        if let Some(date) = rec.published {
            // reports come out during the cycle or in the year after it
            let p = cat.programme(programme);
            let last = p.end_year.saturating_add(1);
            if !(p.start_year..=last).contains(&date.year) {
                let msg = format!(
                    "published {date} is outside {}: its reports came out from {} to {last}",
                    p.name, p.start_year
                );
                let help = Some("check the year, or the programme".to_owned());
                self.problem(row, "published", msg, help);
                return None;
            }
        }
        // the area's name, or any word `area("…")` takes: "responding", "999"
        let (area, ambiguous) = match cat.area_id(programme, &rec.area) {
            Some(a) => (Some(a), None),
            None => match cat.resolve_area(&rec.area, &[programme]) {
                Ok(m) => (m.area_in(programme), None),
                Err(LookupError::Ambiguous { candidates }) => (None, Some(candidates)),
                Err(_) => (None, None),
            },
        };
        if let Some(candidates) = ambiguous {
            let name = &cat.programme(programme).name;
            let names: Vec<&str> =
                candidates.iter().map(|c| c.rsplit_once(" (").map_or(c.as_str(), |(n, _)| n)).collect();
            let msg = format!("{:?} matches {} areas of {name}", rec.area, names.len());
            let help = format!("say which one: {}", names.join(", "));
            self.problem(row, "area", msg, Some(help));
        } else if area.is_none() {
            let name = &cat.programme(programme).name;
            let help = match cat.resolve_area(&rec.area, &[programme]) {
                Err(LookupError::NotInScope { theme, elsewhere }) => Some(format!(
                    "{:?} means {theme}, which {name} did not grade (it was graded in {})",
                    rec.area,
                    elsewhere.join(", ")
                )),
                _ => {
                    let labels: Vec<&str> =
                        cat.programme(programme).areas.iter().map(|a| cat.area(*a).name.as_str()).collect();
                    did_you_mean(&suggest(&rec.area, labels.iter().copied()))
                        .or_else(|| Some(format!("the areas of {name} are: {}", labels.join(", "))))
                }
            };
            self.problem(row, "area", format!("{name} has no area called {:?}", rec.area), help);
        }
        Some((force?, programme, area?))
    }

    /// Grade rows.
    ///
    /// A grade that differs from the stored one replaces it without
    /// `--replace` when `explained` (the file's own history) holds the
    /// stored row: an export carries the history of its changes.
    pub(super) fn grades<'t>(
        &mut self,
        cat: &Catalog,
        rows: impl IntoIterator<Item = Row<'t>>,
        options: &ImportOptions,
        file: &str,
        now: &str,
        explained: &[GradeRecord],
    ) {
        let mut stored: HashMap<(ForceId, AreaId), usize> = HashMap::new();
        for (i, g) in self.tables.grades.iter().enumerate() {
            let ids = cat.force_id(&g.force).zip(cat.programme_id(&g.programme));
            if let Some((f, a)) = ids.and_then(|(f, p)| cat.area_id(p, &g.area).map(|a| (f, a))) {
                stored.insert((f, a), i);
            }
        }
        // each grade seen, by its line and where its record is now (not a
        // copy: a file's grades are held once)
        let mut seen: HashMap<(ForceId, AreaId), (usize, Seen)> = HashMap::new();
        let mut added = Vec::new();
        for row in rows {
            let Some(rec) = grade_record(&row, &mut self.problems) else {
                // names are still worth checking
                let rec = GradeRecord {
                    force: row.get("force").into(),
                    programme: row.get("programme").into(),
                    area: row.get("area").into(),
                    published: None,
                    grade: None,
                    source_url: String::new(),
                    basis: crate::catalog::model::Basis::Stated,
                };
                self.resolve(cat, &row, &rec);
                continue;
            };
            let Some((force, programme, area)) = self.resolve(cat, &row, &rec) else { continue };
            let p = cat.programme(programme);
            if let Some(grade) = rec.grade.filter(|g| !p.scale.allows(*g)) {
                let msg = format!("{:?} is not on the {} scale of {}", grade.name(), p.scale.name(), p.name);
                let help = format!(
                    "{} grades: {}",
                    p.name,
                    p.scale.grades().iter().map(|g| g.name()).collect::<Vec<_>>().join(", ")
                );
                self.problem(&row, "grade", msg, Some(help));
                continue;
            }
            let rec = GradeRecord {
                force: cat.force(force).name.clone(),
                programme: p.name.clone(),
                area: cat.area(area).name.clone(),
                ..rec
            };
            let what = format!("{} / {} / {}", rec.force, rec.programme, rec.area);
            if let Some((first, at)) = seen.get(&(force, area)) {
                let earlier = match at {
                    Seen::Added(j) => &added[*j],
                    Seen::Stored(i) => &self.tables.grades[*i],
                    Seen::Refused(rec) => rec,
                };
                let msg = if same_grade(earlier, &rec) {
                    format!("{what} is given again, as on line {first}")
                } else {
                    format!(
                        "{what} conflicts with line {first} ({} there, {} here)",
                        describe(earlier),
                        describe(&rec)
                    )
                };
                self.problem(&row, "area", msg, Some("give each force, programme and area once".into()));
                continue;
            }
            let line = row.line();
            match stored.get(&(force, area)) {
                None => {
                    seen.insert((force, area), (line, Seen::Added(added.len())));
                    added.push(rec);
                }
                Some(&i) if same_grade(&self.tables.grades[i], &rec) => {
                    seen.insert((force, area), (line, Seen::Stored(i)));
                    self.summary.unchanged += 1;
                }
                Some(&i) if explained.iter().any(|h| same_row(h, &self.tables.grades[i], cat)) => {
                    seen.insert((force, area), (line, Seen::Stored(i)));
                    self.tables.grades[i] = rec;
                    self.summary.changed += 1;
                }
                Some(&i) if options.replace => {
                    seen.insert((force, area), (line, Seen::Stored(i)));
                    let previous = std::mem::replace(&mut self.tables.grades[i], rec);
                    let record = HistoryRecord {
                        previous,
                        replaced_at: now.to_string(),
                        replaced_by: file.to_string(),
                    };
                    self.summary.replaced.push(record.clone());
                    self.tables.history.push(record);
                    self.summary.changed += 1;
                }
                Some(&i) => {
                    let old = &self.tables.grades[i];
                    let column = first_difference(old, &rec);
                    let msg = format!(
                        "the store has {} for {what}; this row has {}",
                        describe(old),
                        describe(&rec)
                    );
                    let help = "use --replace to let the file's grade replace it (the old one is kept in the history)";
                    self.problem(&row, column, msg, Some(help.into()));
                    seen.insert((force, area), (line, Seen::Refused(rec)));
                }
            }
        }
        self.summary.added = added.len();
        self.tables.grades.extend(added);
    }

    /// History rows: added unless already held. Returns the previous rows
    /// they record (names as the catalog writes them).
    pub(super) fn history(&mut self, cat: &Catalog, rows: Vec<Row<'_>>) -> Vec<GradeRecord> {
        let mut explained = Vec::new();
        let mut held: HashSet<String> = self.tables.history.iter().map(history_key).collect();
        for row in rows {
            let Some(rec) = grade_record(&row, &mut self.problems) else { continue };
            let Some((force, programme, area)) = self.resolve(cat, &row, &rec) else { continue };
            let (replaced_at, replaced_by) =
                (row.get("replaced_at").to_string(), row.get("replaced_by").to_string());
            if replaced_at.is_empty() {
                self.problem(
                    &row,
                    "replaced_at",
                    "a history row needs the time it was replaced".into(),
                    None,
                );
                continue;
            }
            let previous = GradeRecord {
                force: cat.force(force).name.clone(),
                programme: cat.programme(programme).name.clone(),
                area: cat.area(area).name.clone(),
                ..rec
            };
            explained.push(previous.clone());
            let record = HistoryRecord { previous, replaced_at, replaced_by };
            if held.insert(history_key(&record)) {
                self.summary.history_added += 1;
                self.tables.history.push(record);
            }
        }
        explained
    }
}

/// Where the record of a grade row already seen is.
enum Seen {
    /// In the grades the file adds, at this index.
    Added(usize),
    /// In the stored grades, at this index (equal to the row, or replaced
    /// by it).
    Stored(usize),
    /// Nowhere: the row was refused.
    Refused(GradeRecord),
}

fn history_key(h: &HistoryRecord) -> String {
    format!("{:?}", h)
}

/// True when `a` and `b` are the same grade of the same force, programme
/// and area (names compared through the catalog).
fn same_row(a: &GradeRecord, b: &GradeRecord, cat: &Catalog) -> bool {
    same_grade(a, b)
        && cat.force_id(&a.force) == cat.force_id(&b.force)
        && cat.programme_id(&a.programme) == cat.programme_id(&b.programme)
        && normalise(&a.area) == normalise(&b.area)
}

fn same_grade(a: &GradeRecord, b: &GradeRecord) -> bool {
    a.grade == b.grade && a.published == b.published && a.source_url == b.source_url && a.basis == b.basis
}

/// The first column in which two grade rows differ.
fn first_difference(a: &GradeRecord, b: &GradeRecord) -> &'static str {
    if a.grade != b.grade {
        "grade"
    } else if a.published != b.published {
        "published"
    } else if a.source_url != b.source_url {
        "source_url"
    } else {
        "basis"
    }
}

/// `"good" (2024-03, stated, https://…)`.
fn describe(g: &GradeRecord) -> String {
    let grade = g.grade.map_or("not graded", |g| g.name());
    let published = g.published.map_or_else(|| "no date".to_string(), |d| d.to_string());
    format!(
        "{grade:?} ({published}, {}, {})",
        g.basis.name(),
        if g.source_url.is_empty() { "no source" } else { &g.source_url }
    )
}
