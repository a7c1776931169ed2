//! A string compared with a force column (`force = "cambs"`), resolved to
//! the force it names — and never silently to a force it only half names.
//!
//! - A name the force goes by (official name, short name, alias) resolves;
//!   when it is also a region's or country's name ("West Midlands") the
//!   query warns (`peelql::warning::force_or_region`).
//! - Text inside one force's official name ("Thames") resolves with a
//!   warning (`peelql::warning::partial_force_name`) — unless it is also a
//!   region or country, or part of one's name ("London", "Midlands"): that
//!   is an error (`peelql::resolve::region_as_force`) which offers both
//!   readings, since "London" more likely means the Met and the City than
//!   the City of London Police alone.
//! - Text inside several forces' names is ambiguous, and text in none is
//!   unknown, as before.

use super::RExpr;
use super::resolve::{Resolver, resolve_err, with_help};
use crate::catalog::lookup::{ForceMatchKind, LookupError};
use crate::catalog::{Catalog, Force, ForceId, normalise};
use crate::error::{Error, Result};
use crate::suggest::did_you_mean;
use crate::syntax::Span;
use crate::value::Value;
use crate::warning::Warning;

/// A region or country whose name is, or holds as whole words, the text.
struct Place {
    /// `region` or `country`: the column to compare.
    column: &'static str,
    /// Its name.
    name: String,
    /// The text is the whole name (not a word of it).
    whole: bool,
    /// The forces in it.
    forces: Vec<ForceId>,
}

/// Which of a force's place names: its region's or its country's.
type NameOf = fn(&Force) -> &String;

/// The regions and countries `text` names, whole or by whole words of
/// their names ("Midlands" in "West Midlands"), regions first.
fn places(cat: &Catalog, text: &str) -> Vec<Place> {
    let needle = normalise(text);
    if needle.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Place> = Vec::new();
    let columns: [(&'static str, NameOf); 2] = [("region", |f| &f.region), ("country", |f| &f.country)];
    for (column, name_of) in columns {
        for f in &cat.forces {
            let name = name_of(f);
            let key = normalise(name);
            let whole = key == needle;
            if !whole && !format!(" {key} ").contains(&format!(" {needle} ")) {
                continue;
            }
            match out.iter_mut().find(|p| p.column == column && p.name == *name) {
                Some(p) => p.forces.push(f.id),
                None => out.push(Place { column, name: name.clone(), whole, forces: vec![f.id] }),
            }
        }
    }
    out
}

/// "a region", "a region and a country", "part of a region's name".
fn what_place(places: &[Place]) -> String {
    let whole: Vec<&str> = places.iter().filter(|p| p.whole).map(|p| p.column).collect();
    match whole.as_slice() {
        [one] => format!("a {one}"),
        [a, b, ..] => format!("a {a} and a {b}"),
        [] => {
            let kind = if places.iter().any(|p| p.column == "region") { "region" } else { "country" };
            if places.len() > 1 {
                format!("part of {kind}s' names")
            } else {
                format!("part of a {kind}'s name")
            }
        }
    }
}

impl Resolver<'_> {
    /// The force `text` names, as a constant to compare with; see the
    /// module's rules.
    pub(super) fn force_named(&mut self, text: &str, span: Span) -> Result<RExpr> {
        let cat = &self.ds.catalog;
        let places = places(cat, text);
        match cat.find_force_how(text) {
            Ok((id, how)) => {
                let name = cat.force(id).name.clone();
                let short = cat.force(id).short_name.clone();
                match how {
                    ForceMatchKind::Name => {
                        if let Some(p) = places.iter().find(|p| p.whole) {
                            let w = Warning::new(
                                "peelql::warning::force_or_region",
                                format!(
                                    "{text:?} names a force and {}; it was read as the force {name}",
                                    what_place(&places)
                                ),
                            )
                            .with_span(span, format!("the force, not the {}", p.column))
                            .with_help(self.place_help(p))
                            .with_help(format!("to name the force without doubt, write \"{name}\""));
                            self.warn(w);
                        }
                    }
                    ForceMatchKind::PartOfName => {
                        if !places.is_empty() {
                            return Err(self.region_as_force(text, span, &places, Some(id)));
                        }
                        let w = Warning::new(
                            "peelql::warning::partial_force_name",
                            format!("{text:?} is only part of a force's name; it was read as {name}"),
                        )
                        .with_span(span, format!("read as {name}"))
                        .with_help(format!("to name it exactly, write \"{short}\" or \"{name}\""));
                        self.warn(w);
                    }
                }
                if !name.eq_ignore_ascii_case(text) {
                    self.notes.push(format!("force {text:?} → {name}"));
                }
                Ok(RExpr::Const(Value::Text(name)))
            }
            Err(LookupError::NotFound { .. }) if !places.is_empty() => {
                Err(self.region_as_force(text, span, &places, None))
            }
            Err(LookupError::Ambiguous { candidates }) => {
                let mut e = resolve_err(
                    "peelql::resolve::ambiguous_force",
                    format!("{text:?} matches more than one force"),
                    span,
                    format!("{} forces match", candidates.len()),
                )
                .with_help(format!(
                    "say which one:\n{}",
                    candidates.iter().map(|c| format!("  {c:?}")).collect::<Vec<_>>().join("\n")
                ));
                // "Wales": a place by its whole name (not "north", a word of two)
                for p in places.iter().filter(|p| p.whole) {
                    e = e.with_help(format!("or, {}", self.place_help(p)));
                }
                Err(e)
            }
            Err(LookupError::NotFound { suggestions })
            | Err(LookupError::NotInScope { elsewhere: suggestions, .. }) => Err(with_help(
                resolve_err(
                    "peelql::resolve::unknown_force",
                    format!("there is no force {text:?}"),
                    span,
                    "unknown force",
                ),
                Some(
                    did_you_mean(&suggestions).unwrap_or_else(|| "list the forces with `show forces`".into()),
                ),
            )),
        }
    }

    /// `"London"`, `"Midlands"`, `"Eastern"` compared with a force: a
    /// place, which at most half names a force.
    fn region_as_force(&self, text: &str, span: Span, places: &[Place], hit: Option<ForceId>) -> Error {
        let cat = &self.ds.catalog;
        let what = what_place(places);
        let message = match hit {
            Some(id) => {
                format!("{text:?} is {what}; as a force's name it is only part of {}", cat.force(id).name)
            }
            None => format!("{text:?} is {what}, not a force"),
        };
        let label =
            if places.iter().any(|p| p.whole) { format!("{what}, not a force") } else { what.clone() };
        let mut e = resolve_err("peelql::resolve::region_as_force", message, span, label);
        for p in places.iter().take(4) {
            e = e.with_help(self.place_help(p));
        }
        if let Some(id) = hit {
            let f = cat.force(id);
            e = e.with_help(format!("for {} alone: force = \"{}\"", f.name, f.short_name));
        }
        e
    }

    /// "for the 2 forces of the region London (City of London Police,
    /// Metropolitan Police Service): region = "London"".
    fn place_help(&self, p: &Place) -> String {
        let cat = &self.ds.catalog;
        let n = p.forces.len();
        let names = if n <= 3 {
            format!(
                " ({})",
                p.forces.iter().map(|f| cat.force(*f).name.as_str()).collect::<Vec<_>>().join(", ")
            )
        } else {
            String::new()
        };
        let forces = if n == 1 { "the force".to_string() } else { format!("the {n} forces") };
        format!("for {forces} of the {} {}{names}: {} = \"{}\"", p.column, p.name, p.column, p.name)
    }
}
