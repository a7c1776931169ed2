//! The pictures' Engage mark: a force row of a grid whose force is in
//! Engage (HMICFRS's enhanced monitoring) is marked [`IN_ENGAGE`], with
//! the date it entered in the row's words; one whose status an undated
//! move leaves open is marked [`ENGAGE_UNKNOWN`] — never a mark that reads
//! as yes or no; one not in Engage has no mark. The legend says as of what
//! date, in the same words in the grid, the HTML page and the SVG image.
//!
//! The facts come from the hidden row columns a picture-drawing session
//! adds (see [`crate::rows::ENGAGE_FACTS`]): what the query's own
//! `engage`, `engage_since` and `as_of` columns would say of the row.

use super::records::Record;
use super::{Grid, GridKind, Header};
use std::collections::HashMap;

/// The mark of a force in Engage.
pub const IN_ENGAGE: &str = "E";

/// The mark of a force whose Engage status is unknown.
pub const ENGAGE_UNKNOWN: &str = "?";

/// What Engage is, in the legend's words.
const ENGAGE: &str = "Engage (HMICFRS enhanced monitoring)";

/// The words of [`ENGAGE_UNKNOWN`] in the legend.
const UNKNOWN_WORDS: &str = "Engage status unknown (an undated move into or out of Engage leaves it open)";

/// A marked row's force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngageMark {
    /// In Engage, since this date when its entry is dated.
    In {
        /// The date the force's current stay began (as written: a year,
        /// a month or a day), if on record.
        since: Option<String>,
    },
    /// Unknown: an undated move leaves it open (or the row has no date to
    /// ask as of).
    Unknown,
}

impl EngageMark {
    /// The mark: [`IN_ENGAGE`] or [`ENGAGE_UNKNOWN`].
    pub fn code(&self) -> &'static str {
        match self {
            EngageMark::In { .. } => IN_ENGAGE,
            EngageMark::Unknown => ENGAGE_UNKNOWN,
        }
    }

    /// The row's words: `in Engage since 2024-12-06`, or `Engage status
    /// unknown`.
    pub fn words(&self) -> String {
        match self {
            EngageMark::In { since: Some(d) } => format!("in Engage since {d}"),
            EngageMark::In { since: None } => "in Engage (its date of entry is not on record)".to_string(),
            EngageMark::Unknown => "Engage status unknown".to_string(),
        }
    }
}

/// Where a row's force stood in Engage, as the rows said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowEngage {
    /// The mark, or `None` when the force is not in Engage.
    pub mark: Option<EngageMark>,
    /// The date the row answers for (the query's `as of`, else the
    /// record's end).
    pub as_of: Option<String>,
}

/// Gives each force row of a forces grid its Engage facts, from the first
/// record in it, and returns the distinct `as of` dates of the rows (in
/// date order), or `None` when the rows carry no such facts. A trend view
/// (one force) gets a note instead, when its records agree.
pub(super) fn attach(
    kind: GridKind,
    records: &[Record],
    keys: &[(String, String)],
    row_keys: &[String],
    rows: &mut [Header],
    notes: &mut Vec<String>,
) -> Option<Vec<String>> {
    if !records.iter().any(|r| r.engage.is_some()) {
        return None;
    }
    if kind == GridKind::Trend {
        let mut states = records.iter().filter_map(|r| r.engage.as_ref());
        let first = states.next()?;
        if let (true, Some(mark)) = (states.all(|s| s == first), &first.mark) {
            let as_of = first.as_of.as_deref().map_or_else(String::new, |d| format!(", as of {d}"));
            let force = records.first().map_or("", |r| r.force.as_str());
            notes.push(match mark {
                EngageMark::Unknown => format!("{force}: {UNKNOWN_WORDS}{as_of}."),
                EngageMark::In { since: Some(d) } => format!("{force}: in {ENGAGE} since {d}{as_of}."),
                EngageMark::In { since: None } => {
                    format!("{force}: in {ENGAGE}{as_of} (its date of entry is not on record).")
                }
            });
        }
        return None;
    }
    let mut first: HashMap<&str, &Record> = HashMap::new();
    for (rec, (rk, _)) in records.iter().zip(keys) {
        first.entry(rk.as_str()).or_insert(rec);
    }
    for (header, key) in rows.iter_mut().zip(row_keys) {
        header.engage = first.get(key.as_str()).and_then(|r| r.engage.clone());
    }
    let mut dates: Vec<String> = rows.iter().filter_map(|h| h.engage.as_ref()?.as_of.clone()).collect();
    dates.sort();
    dates.dedup();
    Some(dates)
}

impl Grid {
    /// True when the rows said where each force stood in Engage.
    pub fn has_engage(&self) -> bool {
        self.engage_as_of.is_some()
    }

    /// `as of 2025-07-30`, or the span of the rows' dates when they differ.
    fn as_of_words(&self) -> String {
        match self.engage_as_of.as_deref() {
            Some([one]) => format!("as of {one}"),
            Some([first, .., last]) => format!("as of each row's date ({first} to {last})"),
            _ => "as of no date".to_string(),
        }
    }

    /// The legend's Engage entries, each a mark and its words (an empty
    /// mark for words that stand alone): [`IN_ENGAGE`] `in Engage (HMICFRS
    /// enhanced monitoring) as of 2025-07-30`, or that no force here is in
    /// Engage; and [`ENGAGE_UNKNOWN`] when some row's status is unknown.
    pub fn engage_legend(&self) -> Vec<(&'static str, String)> {
        if !self.has_engage() {
            return Vec::new();
        }
        let marks: Vec<&EngageMark> =
            self.rows.iter().filter_map(|h| h.engage.as_ref()?.mark.as_ref()).collect();
        let unknown = marks.iter().any(|m| **m == EngageMark::Unknown);
        let mut out = Vec::new();
        if marks.iter().any(|m| matches!(m, EngageMark::In { .. })) {
            out.push((IN_ENGAGE, format!("in {ENGAGE} {}", self.as_of_words())));
        } else {
            let known = if unknown { " known to be" } else { "" };
            out.push(("", format!("No force here{known} in {ENGAGE} {}", self.as_of_words())));
        }
        if unknown {
            out.push((ENGAGE_UNKNOWN, UNKNOWN_WORDS.to_string()));
        }
        out
    }

    /// The Engage words of row `r` (`in Engage since 2024-12-06`), with
    /// the row's date when the rows' dates differ (and its heading does not
    /// say it); `None` for a row with no mark.
    pub fn engage_words(&self, r: usize) -> Option<String> {
        let e = self.rows.get(r)?.engage.as_ref()?;
        let words = e.mark.as_ref()?.words();
        // a dated grid's row says its date in its heading already
        let differ = self.engage_as_of.as_ref().is_some_and(|d| d.len() > 1) && !self.dated;
        match (&e.as_of, differ) {
            (Some(d), true) => Some(format!("{words}, as of {d}")),
            _ => Some(words),
        }
    }

    /// Row `r`'s Engage status in words for a screen reader's table:
    /// [`Grid::engage_words`], or `not in Engage`; `None` when the rows
    /// said nothing of Engage.
    pub fn engage_status(&self, r: usize) -> Option<String> {
        self.rows.get(r)?.engage.as_ref()?;
        Some(self.engage_words(r).unwrap_or_else(|| "not in Engage".to_string()))
    }

    /// The heading of a column of [`Grid::engage_status`]: `Engage as of
    /// 2025-07-30`.
    pub fn engage_heading(&self) -> String {
        format!("Engage (HMICFRS enhanced monitoring) {}", self.as_of_words())
    }

    /// Each marked row's mark and words, in row order: `E`,
    /// `Lincolnshire Police — in Engage since 2024-12-06` — the key the
    /// pictures print under their legend, so that the date shows without a
    /// tooltip.
    pub fn engage_rows(&self) -> Vec<(&'static str, String)> {
        (0..self.rows.len())
            .filter_map(|r| {
                Some((self.engage_mark(r)?, format!("{} — {}", self.rows[r].full, self.engage_words(r)?)))
            })
            .collect()
    }

    /// The mark of row `r`, if any.
    pub fn engage_mark(&self, r: usize) -> Option<&'static str> {
        Some(self.rows.get(r)?.engage.as_ref()?.mark.as_ref()?.code())
    }

    /// True when some row has a mark.
    pub fn has_engage_marks(&self) -> bool {
        (0..self.rows.len()).any(|r| self.engage_mark(r).is_some())
    }
}
