//! Police forces or fire and rescue services: which kind a query reads,
//! and the errors for a name of the other kind (see grammar/README.md,
//! "Fire and rescue services").
//!
//! A query reads one kind. The engine runs it over the police data set,
//! or over the fire half's own data set ([`crate::dataset::Dataset::fire`])
//! when its source is `services` or it names a fire programme
//! (`in frs 2021`, `in frs all`, `in frs latest`). Within the fire data set
//! `services` is the source `forces` is in the police one; `forces`,
//! `monitoring`, a PEEL programme or a police area there is an error that
//! says which kind it belongs to, never an empty answer.

use super::resolve::{Resolver, resolve_err};
use super::{Scope, SourceKind};
use crate::catalog::Kind;
use crate::error::{Error, Result};
use crate::syntax::{Ident, ProgrammeRefKind, Query, Span};

/// The code of a name of the other kind.
pub const WRONG_KIND: &str = "peelql::resolve::wrong_kind";

/// The code of a police area asked of services (or a fire area of forces).
pub const AREA_OF_OTHER_KIND: &str = "peelql::resolve::area_of_other_kind";

/// True for a programme written the fire way: `frs 2021`, `fire all`.
pub fn is_fire_programme_text(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    t.starts_with("frs ") || t.starts_with("fire ") || t == "frs" || t == "fire"
}

/// The kind a top-level query reads: fire when it starts from `services`,
/// from a `let` name a fire query bound (`fire_names`), or names a fire
/// programme; police otherwise (the default).
pub fn query_kind(q: &Query, fire_names: &dyn Fn(&str) -> bool) -> Kind {
    let source = q.source.name.to_ascii_lowercase();
    if source == "services" || fire_names(&q.source.key()) {
        return Kind::Fire;
    }
    match q.programme.as_ref().map(|p| &p.kind) {
        Some(ProgrammeRefKind::Named(t)) if is_fire_programme_text(t) => Kind::Fire,
        _ => Kind::Police,
    }
}

impl Resolver<'_> {
    /// The source a word names in this data set's kind: `services` is
    /// `forces` over the fire half; the other kind's source is an error.
    pub(super) fn kind_source(&self, name: &Ident, q: &Query) -> Result<Option<SourceKind>> {
        let fire = self.ds.kind() == Kind::Fire;
        let word = name.name.to_ascii_lowercase();
        match word.as_str() {
            "services" if fire => Ok(Some(SourceKind::Forces)),
            "services" => Err(wrong_source(name.span, Kind::Fire)),
            "forces" if fire => {
                let mut e = wrong_source(name.span, Kind::Police);
                if let Some(p) = &q.programme {
                    e = e.with_help(format!(
                        "for fire and rescue services write `services {}`",
                        self.src.get(p.span.start..p.span.end).map_or(String::new(), |t| format!("in {t}"))
                    ));
                }
                Err(e)
            }
            "monitoring" if fire => Err(resolve_err(
                WRONG_KIND,
                "Engage monitoring is of police forces; this query reads fire and rescue services",
                name.span,
                "police only",
            )
            .with_help("ask `monitoring` in a query of its own")),
            _ => Ok(SourceKind::from_name(&word)),
        }
    }

    /// A programme written the fire way, or one of the other kind:
    /// `Some` when this settles it (a scope or an error), `None` to look
    /// the text up as usual.
    pub(super) fn kind_scope(&mut self, text: &str, span: Span) -> Option<Result<Scope>> {
        let fire = self.ds.kind() == Kind::Fire;
        let lower = text.trim().to_ascii_lowercase();
        if is_fire_programme_text(&lower) {
            if !fire {
                return Some(Err(resolve_err(
                    WRONG_KIND,
                    format!("{text:?} is a fire and rescue programme; this query reads police forces"),
                    span,
                    "fire and rescue, not police",
                )
                .with_help("a query reads one kind: `services in frs 2021`, `grades in frs 2021`")));
            }
            return match lower.as_str() {
                "frs all" | "fire all" => Some(Ok(Scope::All)),
                "frs latest" | "fire latest" => Some(Ok(Scope::Latest)),
                _ => None,
            };
        }
        if fire && self.ds.catalog.programme_id(text).is_none() {
            let other = self.ds.counterpart()?;
            let id = other.programme_id(text)?;
            return Some(Err(resolve_err(
                WRONG_KIND,
                format!(
                    "{} is a police programme; this query reads fire and rescue services",
                    other.programme(id).name
                ),
                span,
                "police, not fire and rescue",
            )
            .with_help(format!(
                "the fire and rescue programmes are: {}",
                self.ds.catalog.programmes.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
            ))));
        }
        None
    }

    /// When `text`, which no area of this data set matches, is an area of
    /// the other kind: the error that says so, with the nearest areas of
    /// this kind (`help`, already worked out).
    pub(super) fn area_of_other_kind(&self, text: &str, span: Span, help: &str) -> Option<Error> {
        let other = self.ds.counterpart()?;
        let all: Vec<_> = other.programmes.iter().map(|p| p.id).collect();
        let m = other.resolve_area(text, &all).ok()?;
        let mut names: Vec<&str> = m.areas.iter().map(|(_, a)| other.area(*a).name.as_str()).collect();
        names.dedup();
        let (here, there) = (self.ds.kind(), Kind::Police);
        // the words of the police areas' themes that name an area here
        let cat = &self.ds.catalog;
        let mine: Vec<_> = cat.programmes.iter().map(|p| p.id).collect();
        let mut near: Vec<String> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (_, a) in &m.areas {
            let theme = other.theme(other.area(*a).theme);
            for word in std::iter::once(&theme.key).chain(&theme.aliases) {
                let Ok(found) = cat.resolve_area(word, &mine) else { continue };
                let Some(&(_, first)) = found.areas.last() else { continue };
                let name = cat.area(first).name.as_str();
                if !seen.contains(&name) {
                    seen.push(name);
                    near.push(format!("area({word:?}) ({name}, a {} area)", here.name()));
                }
            }
        }
        let help = match near.as_slice() {
            [] if here == Kind::Fire => "list the fire and rescue areas with `areas in frs all`".to_string(),
            [] => help.to_string(),
            [one] => format!("did you mean {one}?"),
            [init @ .., last] => format!("did you mean {} or {last}?", init.join(", ")),
        };
        Some(
            resolve_err(
                AREA_OF_OTHER_KIND,
                format!(
                    "{text:?} is an area of {}s ({}), not of {}s",
                    there.name(),
                    names.join(" / "),
                    here.name()
                ),
                span,
                format!("a {} area", there.name()),
            )
            .with_help(help)
            .with_help(format!("a query reads one kind: ask police areas of `{}`", there.source())),
        )
    }
}

impl Resolver<'_> {
    /// The text a `kind` column is compared with: this query's kind
    /// (`police`, `fire`, or the full words); the other kind is an error,
    /// since a query reads one kind and the comparison would be false for
    /// every row.
    pub(super) fn kind_value(&self, text: &str, span: Span) -> Result<super::RExpr> {
        let word = text.trim().to_ascii_lowercase();
        let named = match word.as_str() {
            "police" | "police force" | "police forces" | "force" | "forces" => Kind::Police,
            "fire"
            | "fire and rescue"
            | "fire and rescue service"
            | "fire and rescue services"
            | "service"
            | "services"
            | "frs" => Kind::Fire,
            _ => {
                return Err(resolve_err(
                    "peelql::resolve::unknown_value",
                    format!("no kind is called {text:?}"),
                    span,
                    "unknown kind",
                )
                .with_help("the kinds are: police force, fire and rescue service"));
            }
        };
        let here = self.ds.kind();
        if named != here {
            return Err(resolve_err(
                WRONG_KIND,
                format!("this query reads {}s, so no row is a {}", here.name(), named.name()),
                span,
                format!("{}, not {}", named.name(), here.name()),
            )
            .with_help(format!(
                "a query reads one kind: start a query of its own from `{}` to read {}s",
                named.source(),
                named.name()
            )));
        }
        Ok(super::RExpr::Const(crate::value::Value::Text(here.name().to_string())))
    }
}

/// `services` asked of police, or `forces` of fire and rescue.
fn wrong_source(span: Span, belongs: Kind) -> Error {
    let reads = match belongs {
        Kind::Police => Kind::Fire,
        Kind::Fire => Kind::Police,
    };
    resolve_err(
        WRONG_KIND,
        format!("`{}` are {}s; this query reads {}s", belongs.source(), belongs.name(), reads.name()),
        span,
        format!("{}, not {}", belongs.name(), reads.name()),
    )
    .with_help(format!(
        "a query reads one kind, never both: start a query of its own from `{}` to read {}s",
        belongs.source(),
        belongs.name()
    ))
}

/// The code of a history question a merger leaves with no one answer.
pub const MERGED_HISTORY: &str = "peelql::warning::merged_history";

impl Resolver<'_> {
    /// Warns where `previous()`/`change()` of `target` has no one answer
    /// for a body formed by a merger (its predecessors' grades differ):
    /// the value is null there, and the warning lists each predecessor's.
    pub(super) fn warn_merged_history(&mut self, target: &super::Prev, span: Span) {
        use crate::dataset::fire::PreviousGrade;
        let ds = self.ds;
        let cat = &ds.catalog;
        let areas: Vec<crate::catalog::AreaId> = match target {
            super::Prev::Area(m) => self.programmes.iter().filter_map(|p| m.area_in(*p)).collect(),
            super::Prev::RowGrade => {
                self.programmes.iter().flat_map(|p| cat.programme(*p).areas.iter().copied()).collect()
            }
            super::Prev::Score => return,
        };
        let successors: Vec<_> =
            cat.forces.iter().map(|f| f.id).filter(|f| !ds.predecessors(*f).is_empty()).collect();
        let mut found = Vec::new();
        for s in successors {
            for &a in &areas {
                if ds.inspection_of(s, cat.area(a).programme).is_none() {
                    continue;
                }
                if let PreviousGrade::Split(list) = ds.previous_grade(s, a) {
                    let each: Vec<String> = list
                        .iter()
                        .map(|(p, g)| {
                            format!("{}: {}", cat.force_name(*p), g.map_or("no grade", |g| g.name()))
                        })
                        .collect();
                    found.push(format!(
                        "{} in {} ({}): {}",
                        cat.force_name(s),
                        cat.area(a).name,
                        cat.programme(cat.area(a).programme).name,
                        each.join("; ")
                    ));
                }
            }
        }
        if found.is_empty() {
            return;
        }
        let w = crate::warning::Warning::new(
            MERGED_HISTORY,
            format!(
                "a merger leaves {} history question(s) with no one answer: null there, never a guess",
                found.len()
            ),
        )
        .with_span(span, "null where the predecessors differ")
        .with_help(format!("the predecessors' grades: {}", found.join(" / ")));
        self.warn(w);
    }
}

/// A source's name as a query over `ds` writes it: `services` for the fire
/// half's `forces`, else the source's own name (for messages).
pub(crate) fn source_word(ds: &crate::dataset::Dataset, kind: SourceKind) -> &'static str {
    match (ds.kind(), kind) {
        (Kind::Fire, SourceKind::Forces) => "services",
        _ => kind.name(),
    }
}

/// An `unknown_source` error whose name is a `let` of the other kind
/// (`other_names`), as a police subquery naming a fire `let`: that is
/// [`WRONG_KIND`], saying which kind the name holds; any other error is
/// returned as it is.
pub fn let_of_other_kind(e: Error, src: &str, here: Kind, other_names: &dyn Fn(&str) -> bool) -> Error {
    if e.code_str() != "peelql::resolve::unknown_source" {
        return e;
    }
    let Some(span) = e.span() else { return e };
    let Some(word) = src.get(span.start..span.end) else { return e };
    if !other_names(&word.to_ascii_lowercase()) {
        return e;
    }
    let holds = match here {
        Kind::Police => Kind::Fire,
        Kind::Fire => Kind::Police,
    };
    resolve_err(
        WRONG_KIND,
        format!("`{word}` holds {}s; this query reads {}s", holds.name(), here.name()),
        span,
        format!("a `let` of {}s", holds.name()),
    )
    .with_help(format!(
        "a query reads one kind, never both: use `{word}` in a query of {}s, or bind a `let` of {}s",
        holds.name(),
        here.name()
    ))
}
