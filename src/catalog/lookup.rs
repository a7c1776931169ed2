//! Name lookups: forces, programmes and, above all, areas.
//!
//! `area("text")` resolves in three steps, first match wins:
//! 1. the exact label of an area (any case) in a programme in scope;
//! 2. a theme's key or one of its aliases ("sex offenders", "999");
//! 3. a case-insensitive substring of an area's label or question, or of a
//!    theme's name or aliases — which must pick at most one area in each
//!    programme in scope, or the text is ambiguous.
//!
//! Steps 1 and 2 resolve to a *theme*, so the same text finds "the same
//! area" in every programme in scope ("Managing offenders" in 2023–25 and
//! "Managing offenders" in 2021/22; "Police powers and public treatment"
//! finds "Treatment of the public" for a force whose latest grades are
//! 2021/22).

use super::{AreaId, Catalog, ForceId, ProgrammeId, ThemeId, normalise};
use crate::suggest::suggest;

/// Why a lookup failed.
#[derive(Clone, Debug, PartialEq)]
pub enum LookupError {
    /// Nothing matched; the closest names, best first.
    NotFound {
        /// Close names to suggest.
        suggestions: Vec<String>,
    },
    /// Several things matched; each candidate described.
    Ambiguous {
        /// The candidates, e.g. "Preventing crime (PEEL 2023-25)".
        candidates: Vec<String>,
    },
    /// The text names a theme that no programme in scope graded.
    NotInScope {
        /// The theme's name.
        theme: String,
        /// Programmes that do have it.
        elsewhere: Vec<String>,
    },
}

/// How a force's name was matched by [`Catalog::find_force_how`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForceMatchKind {
    /// The official name, short name or an alias (any case).
    Name,
    /// Text inside the official name of this force only ("Thames").
    PartOfName,
}

/// How `area("…")` text was matched.
#[derive(Clone, Debug, PartialEq)]
pub enum AreaMatchKind {
    /// The exact label of an area.
    ExactName,
    /// A theme key or alias.
    Alias(String),
    /// A substring of labels, questions or theme words.
    Substring,
}

/// The areas a text resolved to: at most one per programme in scope.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaMatch {
    /// `(programme, area)` pairs, oldest programme first.
    pub areas: Vec<(ProgrammeId, AreaId)>,
    /// The theme, when all matched areas share one.
    pub theme: Option<ThemeId>,
    /// How the text matched.
    pub how: AreaMatchKind,
}

impl AreaMatch {
    /// The area for `programme`, if any.
    pub fn area_in(&self, programme: ProgrammeId) -> Option<AreaId> {
        self.areas.iter().find(|(p, _)| *p == programme).map(|(_, a)| *a)
    }
}

impl Catalog {
    /// Finds a force by official name, short name or alias; failing that, by
    /// a substring of exactly one force's names.
    pub fn find_force(&self, text: &str) -> Result<ForceId, LookupError> {
        self.find_force_how(text).map(|(id, _)| id)
    }

    /// [`Catalog::find_force`], saying how the text matched: a name the
    /// force goes by, or only a part of one.
    pub fn find_force_how(&self, text: &str) -> Result<(ForceId, ForceMatchKind), LookupError> {
        if let Some(id) = self.force_id(text) {
            return Ok((id, ForceMatchKind::Name));
        }
        let needle = normalise(text);
        let hits: Vec<ForceId> = self
            .forces
            .iter()
            .filter(|f| !needle.is_empty() && normalise(&f.name).contains(&needle))
            .map(|f| f.id)
            .collect();
        match hits.as_slice() {
            [one] => Ok((*one, ForceMatchKind::PartOfName)),
            [] => Err(LookupError::NotFound {
                suggestions: suggest(
                    text,
                    self.forces
                        .iter()
                        .map(|f| f.short_name.as_str())
                        .chain(self.forces.iter().flat_map(|f| f.aliases.iter().map(String::as_str))),
                ),
            }),
            many => Err(LookupError::Ambiguous {
                candidates: many.iter().map(|id| self.force(*id).name.clone()).collect(),
            }),
        }
    }

    /// Finds a programme by name or alias ("peel 2021", "2021/22").
    pub fn find_programme(&self, text: &str) -> Result<ProgrammeId, LookupError> {
        self.programme_id(text).ok_or_else(|| LookupError::NotFound {
            suggestions: suggest(text, self.programmes.iter().map(|p| p.name.as_str())),
        })
    }

    /// Resolves `area("text")` within the programmes in `scope`.
    pub fn resolve_area(&self, text: &str, scope: &[ProgrammeId]) -> Result<AreaMatch, LookupError> {
        let needle = normalise(text);
        if needle.is_empty() {
            return Err(LookupError::NotFound { suggestions: vec![] });
        }
        // 1. exact label
        let exact: Vec<AreaId> = scope.iter().filter_map(|p| self.area_id(*p, &needle)).collect();
        if !exact.is_empty() {
            let themes = self.themes_of(&exact);
            if let [theme] = themes.as_slice() {
                return Ok(self.theme_match(*theme, scope, AreaMatchKind::ExactName));
            }
            return Ok(AreaMatch {
                areas: exact.iter().map(|a| (self.area(*a).programme, *a)).collect(),
                theme: None,
                how: AreaMatchKind::ExactName,
            });
        }
        // 2. theme key or alias
        if let Some(theme) = self.theme_id(&needle) {
            let m = self.theme_match(theme, scope, AreaMatchKind::Alias(needle.clone()));
            if m.areas.is_empty() {
                return Err(self.not_in_scope(theme));
            }
            return Ok(m);
        }
        // 3. substring
        let theme_hits: Vec<ThemeId> = self
            .themes
            .iter()
            .filter(|t| normalise(&t.name).contains(&needle) || t.aliases.iter().any(|a| a.contains(&needle)))
            .map(|t| t.id)
            .collect();
        let mut areas = Vec::new();
        let mut ambiguous = Vec::new();
        for &p in scope {
            let mut hits: Vec<AreaId> = self
                .programme(p)
                .areas
                .iter()
                .copied()
                .filter(|a| {
                    let area = self.area(*a);
                    normalise(&area.name).contains(&needle)
                        || normalise(&area.question).contains(&needle)
                        || theme_hits.contains(&area.theme)
                })
                .collect();
            hits.dedup();
            match hits.as_slice() {
                [] => {}
                [one] => areas.push((p, *one)),
                many => ambiguous.extend(many.iter().map(|a| self.describe_area(*a))),
            }
        }
        if !ambiguous.is_empty() {
            return Err(LookupError::Ambiguous { candidates: ambiguous });
        }
        if areas.is_empty() {
            if let [theme] = theme_hits.as_slice() {
                return Err(self.not_in_scope(*theme));
            }
            return Err(LookupError::NotFound { suggestions: self.area_suggestions(text, scope) });
        }
        let ids: Vec<AreaId> = areas.iter().map(|(_, a)| *a).collect();
        let themes = self.themes_of(&ids);
        Ok(AreaMatch { areas, theme: (themes.len() == 1).then(|| themes[0]), how: AreaMatchKind::Substring })
    }

    /// "Managing offenders (PEEL 2023-25)".
    pub fn describe_area(&self, id: AreaId) -> String {
        let a = self.area(id);
        format!("{} ({})", a.name, self.programme(a.programme).name)
    }

    fn themes_of(&self, areas: &[AreaId]) -> Vec<ThemeId> {
        let mut themes: Vec<ThemeId> = areas.iter().map(|a| self.area(*a).theme).collect();
        themes.sort();
        themes.dedup();
        themes
    }

    fn theme_match(&self, theme: ThemeId, scope: &[ProgrammeId], how: AreaMatchKind) -> AreaMatch {
        let areas = scope.iter().filter_map(|p| self.area_of_theme(theme, *p).map(|a| (*p, a))).collect();
        AreaMatch { areas, theme: Some(theme), how }
    }

    fn not_in_scope(&self, theme: ThemeId) -> LookupError {
        let t = self.theme(theme);
        LookupError::NotInScope {
            theme: t.name.clone(),
            elsewhere: t.areas.iter().map(|a| self.programme(self.area(*a).programme).name.clone()).collect(),
        }
    }

    /// Close area labels in scope and theme words, for "did you mean".
    pub fn area_suggestions(&self, text: &str, scope: &[ProgrammeId]) -> Vec<String> {
        let mut words: Vec<&str> = scope
            .iter()
            .flat_map(|p| self.programme(*p).areas.iter().map(|a| self.area(*a).name.as_str()))
            .collect();
        words.extend(
            self.themes.iter().flat_map(|t| t.aliases.iter().map(String::as_str).chain([t.key.as_str()])),
        );
        suggest(text, words)
    }
}
