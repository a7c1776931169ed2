//! Reading an import file, CSV or JSON, into rows that know their kind and
//! their place in the file.

use super::*;

/// What an import file holds: its rows other than grades, with their
/// kinds, and its grade rows.
pub(super) struct Read<'t> {
    pub(super) items: Vec<Item<'t>>,
    pub(super) grades: Grades<'t>,
}

/// The grade rows of an import file.
pub(super) enum Grades<'t> {
    /// Held as rows (a JSON file's).
    Rows(Vec<Row<'t>>),
    /// `count` rows of a CSV file that are read again, one at a time, when
    /// they are checked: a large file is never held as rows.
    Csv { file: &'t str, text: &'t str, count: usize },
}

impl<'t> Grades<'t> {
    /// How many grade rows there are.
    pub(super) fn len(&self) -> usize {
        match self {
            Grades::Rows(rows) => rows.len(),
            Grades::Csv { count, .. } => *count,
        }
    }

    /// The rows, one at a time.
    pub(super) fn rows(self) -> Box<dyn Iterator<Item = Row<'t>> + 't> {
        match self {
            Grades::Rows(rows) => Box::new(rows.into_iter()),
            Grades::Csv { file, text, .. } => {
                // read as the first reading did; what it found is reported
                let Some((_, mut reader)) = csv_reader(file, text, &mut Problems::default()) else {
                    return Box::new(std::iter::empty());
                };
                Box::new(std::iter::from_fn(move || {
                    loop {
                        let mut quiet = Problems::default();
                        let row = reader.next_row(&mut quiet)?;
                        if accepted(&row, &mut quiet) == Some(Kind::Grade) {
                            return Some(row);
                        }
                    }
                }))
            }
        }
    }
}

/// The kind of a row that has the columns its kind needs and fills no
/// other; `None`, with problems, for any other row.
fn accepted(row: &Row<'_>, problems: &mut Problems) -> Option<Kind> {
    let kind = row_kind(row, problems)?;
    if kind.required().iter().any(|c| !row.has(c)) {
        return None;
    }
    unused_cells(row, kind, problems).then_some(kind)
}

/// Reads a CSV import file into rows with their kinds. Grade rows are
/// checked for their columns and counted here, and read again when they
/// are checked against the catalog ([`Grades::Csv`]).
pub(super) fn read_csv<'t>(file: &'t str, text: &'t str, problems: &mut Problems) -> Read<'t> {
    let none = || Read { items: Vec::new(), grades: Grades::Rows(Vec::new()) };
    let Some((header, mut reader)) = csv_reader(file, text, problems) else { return none() };
    let mut known = true;
    for column in header.columns() {
        if !COLUMNS.contains(&column.as_str()) {
            let help = did_you_mean(&suggest(column, COLUMNS))
                .unwrap_or_else(|| format!("the columns are: {}", COLUMNS.join(", ")));
            let mut p = header.problem_at(column, format!("{column:?} is not a column of an import file"));
            p.help = Some(help);
            problems.push_problem(p);
            known = false;
        }
    }
    if !known {
        return none();
    }
    let mut missing_reported = HashSet::new();
    let mut items = Vec::new();
    let mut grades = 0;
    while let Some(row) = reader.next_row(problems) {
        let Some(kind) = row_kind(&row, problems) else { continue };
        let missing: Vec<&str> = kind.required().iter().copied().filter(|c| !row.has(c)).collect();
        if !missing.is_empty() {
            if missing_reported.insert(kind) {
                let msg = format!(
                    "{} rows (the first is on line {}) need the column(s) {}",
                    kind.name(),
                    row.line(),
                    missing.join(", ")
                );
                problems.push_problem(header.place.problem(missing[0], "", msg));
            }
            continue;
        }
        if unused_cells(&row, kind, problems) {
            if kind == Kind::Grade {
                grades += 1;
            } else {
                items.push(Item { kind, row });
            }
        }
    }
    Read { items, grades: Grades::Csv { file, text, count: grades } }
}

/// The kind a row names in its `kind` cell (grade when it has none).
fn row_kind(row: &Row<'_>, problems: &mut Problems) -> Option<Kind> {
    let text = row.get("kind");
    let kind = Kind::parse(text);
    if kind.is_none() {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        let mut p = row.problem_at("kind", format!("{text:?} is not a kind of row"));
        p.help = did_you_mean(&suggest(text, names.iter().copied()))
            .or_else(|| Some(format!("the kinds are: {}", names.join(", "))));
        problems.push_problem(p);
    }
    kind
}

/// Checks that a row fills no column its kind does not use; false (with
/// problems) when it does.
fn unused_cells(row: &Row<'_>, kind: Kind, problems: &mut Problems) -> bool {
    let allowed = kind.allowed();
    let mut ok = true;
    for column in row.columns() {
        if !allowed.contains(&column.as_str()) && !row.get(column).is_empty() {
            let msg = format!("{} rows do not use the column `{column}`", kind.name());
            let help = format!("{} rows use: {}", kind.name(), allowed.join(", "));
            let mut p = row.problem_at(column, msg);
            p.help = Some(help);
            problems.push_problem(p);
            ok = false;
        }
    }
    ok
}

/// Reads a JSON import file into rows with their kinds. Every field of
/// every object knows its line and column.
pub(super) fn read_json<'t>(file: &str, text: &'t str, problems: &mut Problems) -> Read<'t> {
    let file_rc: Rc<str> = Rc::from(file);
    let index = crate::catalog::cells::LineIndex::new(text);
    let place_of = |raw: &RawValue| {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let (line, col) = index.position(offset);
        Place { file: Rc::clone(&file_rc), line, col }
    };
    let syntax = |problems: &mut Problems, e: serde_json::Error| {
        let place = Place { file: Rc::clone(&file_rc), line: e.line().max(1), col: e.column().max(1) };
        problems.push(&place, "-", "", format!("not valid JSON: {e}"));
    };
    // a byte-order mark, as Windows editors write, is not part of the JSON
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let top: &RawValue = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => {
            syntax(problems, e);
            return Read { items: Vec::new(), grades: Grades::Rows(Vec::new()) };
        }
    };
    let mut arrays: Vec<(Kind, &RawValue)> = Vec::new();
    if top.get().starts_with('[') {
        arrays.push((Kind::Grade, top));
    } else {
        let object: Entries<'_> = match serde_json::from_str(top.get()) {
            Ok(o) => o,
            Err(_) => {
                let msg = "an import file is an object of arrays (programmes, themes, areas, grades, history, monitoring) or an array of grades".to_string();
                problems.push(&place_of(top), "-", "", msg);
                return Read { items: Vec::new(), grades: Grades::Rows(Vec::new()) };
            }
        };
        for (key, value) in object.unique(problems, &place_of) {
            match Kind::ALL.iter().find(|k| k.plural() == key) {
                Some(kind) => arrays.push((*kind, value)),
                None => {
                    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.plural()).collect();
                    let mut p = place_of(value).problem(
                        &key,
                        &key,
                        format!("{key:?} is not a part of an import file"),
                    );
                    p.help = did_you_mean(&suggest(&key, names.iter().copied()))
                        .or_else(|| Some(format!("the parts are: {}", names.join(", "))));
                    problems.push_problem(p);
                }
            }
        }
    }
    let mut items = Vec::new();
    for (kind, array) in arrays {
        let elements: Vec<&RawValue> = match serde_json::from_str(array.get()) {
            Ok(v) => v,
            Err(_) => {
                problems.push(
                    &place_of(array),
                    kind.plural(),
                    "",
                    format!("`{}` must be an array of objects", kind.plural()),
                );
                continue;
            }
        };
        let allowed = kind.allowed();
        for element in elements {
            let place = place_of(element);
            let fields: Entries<'_> = match serde_json::from_str(element.get()) {
                Ok(f) => f,
                Err(_) => {
                    problems.push(&place, "-", "", format!("each of `{}` must be an object", kind.plural()));
                    continue;
                }
            };
            let mut names = Vec::new();
            let mut cells = Vec::new();
            let before = problems.len();
            let fields = fields.unique(problems, &place_of);
            let mut ok = problems.len() == before;
            for (name, value) in fields {
                let at = place_of(value);
                if !allowed.contains(&name.as_str()) {
                    let mut p =
                        at.problem(&name, "", format!("{} objects have no field {name:?}", kind.name()));
                    p.help = did_you_mean(&suggest(&name, allowed.iter().copied()))
                        .or_else(|| Some(format!("{} objects have: {}", kind.name(), allowed.join(", "))));
                    problems.push_problem(p);
                    ok = false;
                    continue;
                }
                match json_text(value) {
                    Ok(text) => {
                        names.push(name);
                        cells.push(Cell { text, line: at.line, col: at.col });
                    }
                    Err(why) => {
                        let msg = match why {
                            Some(why) => format!("`{name}` cannot be read: {why}"),
                            None => format!(
                                "`{name}` must be text, a number or null (or a list of text for aliases)"
                            ),
                        };
                        problems.push(&at, &name, value.get(), msg);
                        ok = false;
                    }
                }
            }
            if !ok {
                continue;
            }
            let row = Row::new(place, names.into(), cells);
            if row.has("kind") && Kind::parse(row.get("kind")) != Some(kind) {
                problems.push_problem(row.problem_at(
                    "kind",
                    format!("a row in `{}` must be of kind {}", kind.plural(), kind.name()),
                ));
                continue;
            }
            let missing: Vec<&str> = kind.required().iter().copied().filter(|c| !row.has(c)).collect();
            if !missing.is_empty() {
                let msg = format!("this {} object lacks {}", kind.name(), missing.join(", "));
                problems.push(&row.place, missing[0], "", msg);
                continue;
            }
            items.push(Item { kind, row });
        }
    }
    let (grades, items): (Vec<Item<'_>>, Vec<Item<'_>>) =
        items.into_iter().partition(|i| i.kind == Kind::Grade);
    Read { items, grades: Grades::Rows(grades.into_iter().map(|i| i.row).collect()) }
}

/// A JSON value as cell text: strings as they are, numbers as written,
/// null as empty, a list of strings joined with `;`.
/// A field's value as a cell's text; `Err(None)` for a value of the wrong
/// kind (true, an object), `Err(Some(why))` for one JSON itself cannot read
/// (a number too large for a double, a lone surrogate in a `\u` escape).
fn json_text(raw: &RawValue) -> Result<String, Option<String>> {
    let value = serde_json::from_str::<serde_json::Value>(raw.get()).map_err(|e| {
        // serde_json's place is within the value: the problem gives the file's
        let why = e.to_string();
        let why = why.split(" at line ").next().unwrap_or(&why);
        Some(if why.contains("surrogate") || why.contains("hex escape") {
            "a `\\u` escape in it is half of a character (a lone UTF-16 surrogate)".to_owned()
        } else if why.contains("number out of range") {
            "the number is too large (beyond 1.8e308)".to_owned()
        } else {
            why.to_owned()
        })
    })?;
    match value {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Null => Ok(String::new()),
        serde_json::Value::Array(items) => {
            let texts: Option<Vec<String>> =
                items.into_iter().map(|v| v.as_str().map(str::to_string)).collect();
            texts.map(|t| t.join(";")).ok_or(None)
        }
        _ => Err(None),
    }
}

/// A JSON object's members in the order written, duplicates kept (serde's
/// maps keep only the last of a key written twice).
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Entries<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Entries<'de>, M::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

impl<'a> Entries<'a> {
    /// The members sorted by key, each key once; a key written twice is a
    /// problem at its second place (which value counts cannot be told).
    fn unique(
        self,
        problems: &mut Problems,
        place_of: &dyn Fn(&RawValue) -> Place,
    ) -> BTreeMap<String, &'a RawValue> {
        let mut out = BTreeMap::new();
        for (key, value) in self.0 {
            match out.entry(key) {
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                std::collections::btree_map::Entry::Occupied(slot) => {
                    let key = slot.key();
                    let mut p = place_of(value).problem(
                        key,
                        "",
                        format!(
                            "the key {key:?} is in this object twice: which of its values counts cannot be told"
                        ),
                    );
                    p.help = Some("keep one member of each name".to_owned());
                    problems.push_problem(p);
                }
            }
        }
        out
    }
}
