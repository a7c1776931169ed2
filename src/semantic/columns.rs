//! The columns of each source: names, types and what they hold.

use super::SourceKind;
use SourceKind::{Areas, Forces, Grades, Inspections, Monitoring, Programmes};

/// The type of a value, as the resolver checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Text.
    Text,
    /// A number (whole or decimal).
    Number,
    /// A date.
    Date,
    /// A grade.
    Grade,
    /// True or false.
    Bool,
    /// Not known until run time (null, a derived table's column).
    Any,
}

impl Ty {
    /// The type's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Ty::Text => "text",
            Ty::Number => "a number",
            Ty::Date => "a date",
            Ty::Grade => "a grade",
            Ty::Bool => "a condition",
            Ty::Any => "a value",
        }
    }

    /// The type's one-word name in column listings: `text`, `number`…
    pub fn word(self) -> &'static str {
        match self {
            Ty::Text => "text",
            Ty::Number => "number",
            Ty::Date => "date",
            Ty::Grade => "grade",
            Ty::Bool => "boolean",
            Ty::Any => "any",
        }
    }

    /// True when values of the two types can be compared.
    pub fn compares_with(self, other: Ty) -> bool {
        self == Ty::Any || other == Ty::Any || self == other
    }
}

/// A column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Col {
    /// The force's official name (`name` in forces, `force` elsewhere).
    Force,
    /// The force's short name.
    Short,
    /// Police region.
    Region,
    /// "police force" or "fire and rescue service": which kind the row is.
    Kind,
    /// England or Wales.
    Country,
    /// Programme name.
    Programme,
    /// Publication date.
    Published,
    /// The HMICFRS report page.
    Url,
    /// Mean grade of the inspection on the 1–5 scale.
    Score,
    /// Number of graded areas recorded for the inspection (or area).
    Graded,
    /// Number of graded areas the inspectorate announced.
    Announced,
    /// Area label.
    Area,
    /// Theme key.
    Theme,
    /// Pillar.
    Pillar,
    /// Question or heading.
    Question,
    /// The grade.
    Grade,
    /// How the grade was established.
    Basis,
    /// The page the grade (or area wording) was read on.
    SourceUrl,
    /// The years a programme spans.
    Years,
    /// Four- or five-tier.
    Scale,
    /// Number of areas of a programme.
    Areas,
    /// Number of inspections on record for a programme.
    Inspections,
    /// Number of grades on record for a programme.
    Grades,
    /// In Engage (as of the query's date, else the record's end).
    Engage,
    /// The date the force's current stay in Engage began.
    EngageSince,
    /// How many times the force has entered Engage.
    EngageTimes,
    /// How many days the force has spent in Engage.
    EngageDays,
    /// The date the `engage…` columns answer for.
    AsOf,
    /// A move: `entered` or `left`.
    Event,
    /// The date of a move.
    Date,
    /// Causes of concern stated at a move.
    Causes,
    /// The sentence a move rests on.
    Sentence,
    /// The number of the force's stay a move opens or closes.
    Stay,
    /// The date the stay of a move began.
    Since,
    /// The date the stay of a move ended.
    Until,
    /// The length of the stay of a move, in days.
    Days,
    /// True when the stay of a move has no exit on record.
    Ongoing,
}

impl Col {
    /// True for the columns that answer from a force's moves as of a
    /// date: `engage`, `engage_since`, `engage_times`, `engage_days`, `as_of`.
    pub fn is_engage(self) -> bool {
        matches!(self, Col::Engage | Col::EngageSince | Col::EngageTimes | Col::EngageDays | Col::AsOf)
    }
}

/// A column's entry in the catalogue of columns.
pub struct ColumnInfo {
    /// The names it answers to; the first is its header.
    pub names: &'static [&'static str],
    /// The column.
    pub col: Col,
    /// Its type.
    pub ty: Ty,
    /// The sources that have it.
    pub sources: &'static [SourceKind],
    /// What it holds.
    pub doc: &'static str,
}

/// Every column, in the order `show columns` lists them.
pub const COLUMNS: &[ColumnInfo] = &[
    ColumnInfo {
        names: &["name", "force"],
        col: Col::Force,
        ty: Ty::Text,
        sources: &[Forces],
        doc: "the force's official name; compare with any name or alias: force = \"cambs\"",
    },
    ColumnInfo {
        names: &["force", "name"],
        col: Col::Force,
        ty: Ty::Text,
        sources: &[Inspections, Grades, Monitoring],
        doc: "the force's official name; compare with any name or alias: force = \"cambs\"",
    },
    ColumnInfo {
        names: &["short"],
        col: Col::Short,
        ty: Ty::Text,
        sources: &[Forces, Inspections, Grades, Monitoring],
        doc: "the force's short name",
    },
    ColumnInfo {
        names: &["region"],
        col: Col::Region,
        ty: Ty::Text,
        sources: &[Forces, Inspections, Grades, Monitoring],
        doc: "police region (the HMICFRS regional grouping)",
    },
    ColumnInfo {
        names: &["kind"],
        col: Col::Kind,
        ty: Ty::Text,
        sources: &[Forces, Inspections, Grades],
        doc: "police force, or fire and rescue service (a query reads one kind: `services`, `in frs …`)",
    },
    ColumnInfo {
        names: &["country"],
        col: Col::Country,
        ty: Ty::Text,
        sources: &[Forces, Inspections, Grades, Monitoring],
        doc: "England or Wales",
    },
    ColumnInfo {
        names: &["programme", "program"],
        col: Col::Programme,
        ty: Ty::Text,
        sources: &[Forces, Inspections, Grades, Areas],
        doc: "the programme (inspection cycle), e.g. PEEL 2023-25",
    },
    ColumnInfo {
        names: &["name", "programme", "program"],
        col: Col::Programme,
        ty: Ty::Text,
        sources: &[Programmes],
        doc: "the programme's name",
    },
    ColumnInfo {
        names: &["published"],
        col: Col::Published,
        ty: Ty::Date,
        sources: &[Forces, Inspections, Grades],
        doc: "publication date (may be known only to the month)",
    },
    ColumnInfo {
        names: &["url"],
        col: Col::Url,
        ty: Ty::Text,
        sources: &[Forces, Inspections, Grades],
        doc: "the HMICFRS report page, where known",
    },
    ColumnInfo {
        names: &["score"],
        col: Col::Score,
        ty: Ty::Number,
        sources: &[Forces, Inspections, Grades],
        doc: "mean grade of the inspection on the 1-5 scale (inadequate 1 … outstanding 5)",
    },
    ColumnInfo {
        names: &["graded"],
        col: Col::Graded,
        ty: Ty::Number,
        sources: &[Forces, Inspections, Areas],
        doc: "number of grades on record (of the inspection, or for the area)",
    },
    ColumnInfo {
        names: &["announced"],
        col: Col::Announced,
        ty: Ty::Number,
        sources: &[Forces, Inspections],
        doc: "number of graded areas the inspectorate announced (null where no count was published)",
    },
    ColumnInfo {
        names: &["area"],
        col: Col::Area,
        ty: Ty::Text,
        sources: &[Grades],
        doc: "the area graded; compare with area(\"…\") or area = \"…\"",
    },
    ColumnInfo {
        names: &["name", "area"],
        col: Col::Area,
        ty: Ty::Text,
        sources: &[Areas],
        doc: "the area's label",
    },
    ColumnInfo {
        names: &["theme"],
        col: Col::Theme,
        ty: Ty::Text,
        sources: &[Grades, Areas],
        doc: "the theme linking the area across programmes",
    },
    ColumnInfo {
        names: &["pillar"],
        col: Col::Pillar,
        ty: Ty::Text,
        sources: &[Grades, Areas],
        doc: "pillar (effectiveness, efficiency, legitimacy) in older programmes",
    },
    ColumnInfo {
        names: &["question"],
        col: Col::Question,
        ty: Ty::Text,
        sources: &[Grades, Areas],
        doc: "the question or official heading of the area",
    },
    ColumnInfo {
        names: &["grade"],
        col: Col::Grade,
        ty: Ty::Grade,
        sources: &[Grades],
        doc: "the grade (null where the source says not graded)",
    },
    ColumnInfo {
        names: &["basis"],
        col: Col::Basis,
        ty: Ty::Text,
        sources: &[Grades],
        doc: "how the grade is known: stated, elimination or inferred",
    },
    ColumnInfo {
        names: &["source_url", "source"],
        col: Col::SourceUrl,
        ty: Ty::Text,
        sources: &[Grades, Areas],
        doc: "the page the grade (or the area's wording) was read on",
    },
    ColumnInfo {
        names: &["years"],
        col: Col::Years,
        ty: Ty::Text,
        sources: &[Programmes],
        doc: "the years the programme spans",
    },
    ColumnInfo {
        names: &["scale"],
        col: Col::Scale,
        ty: Ty::Text,
        sources: &[Programmes],
        doc: "four-tier (before 2021/22) or five-tier",
    },
    ColumnInfo {
        names: &["areas"],
        col: Col::Areas,
        ty: Ty::Number,
        sources: &[Programmes],
        doc: "number of areas the programme defines",
    },
    ColumnInfo {
        names: &["inspections"],
        col: Col::Inspections,
        ty: Ty::Number,
        sources: &[Programmes],
        doc: "number of force inspections on record",
    },
    ColumnInfo {
        names: &["grades"],
        col: Col::Grades,
        ty: Ty::Number,
        sources: &[Programmes],
        doc: "number of grades on record",
    },
    ColumnInfo {
        names: &["engage"],
        col: Col::Engage,
        ty: Ty::Bool,
        sources: &[Forces, Inspections, Grades],
        doc: "in Engage (HMICFRS's enhanced monitoring) as of the query's date, else the record's end; null where an undated move leaves it open",
    },
    ColumnInfo {
        names: &["engage_since"],
        col: Col::EngageSince,
        ty: Ty::Date,
        sources: &[Forces, Inspections, Grades],
        doc: "the date the force's current stay in Engage began (null when not in Engage, or the entry is undated)",
    },
    ColumnInfo {
        names: &["engage_times"],
        col: Col::EngageTimes,
        ty: Ty::Number,
        sources: &[Forces, Inspections, Grades],
        doc: "how many times the force has entered Engage (0: never, in the record)",
    },
    ColumnInfo {
        names: &["engage_days"],
        col: Col::EngageDays,
        ty: Ty::Number,
        sources: &[Forces, Inspections, Grades],
        doc: "days the force has spent in Engage (null unless every move it needs is dated to the day)",
    },
    ColumnInfo {
        names: &["as_of"],
        col: Col::AsOf,
        ty: Ty::Date,
        sources: &[Forces, Inspections, Grades],
        doc: "the date the engage columns answer for: the query's `as of`, else the record's end (its latest dated move)",
    },
    ColumnInfo {
        names: &["event"],
        col: Col::Event,
        ty: Ty::Text,
        sources: &[Monitoring],
        doc: "the move: entered (into Engage) or left (back to Scan); compare with event = entered",
    },
    ColumnInfo {
        names: &["date"],
        col: Col::Date,
        ty: Ty::Date,
        sources: &[Monitoring],
        doc: "when, as precisely as a page states it (null where no page dates it)",
    },
    ColumnInfo {
        names: &["causes", "causes_of_concern"],
        col: Col::Causes,
        ty: Ty::Number,
        sources: &[Monitoring],
        doc: "the number of causes of concern, where a page states it",
    },
    ColumnInfo {
        names: &["basis"],
        col: Col::Basis,
        ty: Ty::Text,
        sources: &[Monitoring],
        doc: "how the move is known: stated or inferred",
    },
    ColumnInfo {
        names: &["source_url", "source"],
        col: Col::SourceUrl,
        ty: Ty::Text,
        sources: &[Monitoring],
        doc: "the page the move was read on",
    },
    ColumnInfo {
        names: &["sentence"],
        col: Col::Sentence,
        ty: Ty::Text,
        sources: &[Monitoring],
        doc: "the sentence the move rests on, verbatim",
    },
    ColumnInfo {
        names: &["stay"],
        col: Col::Stay,
        ty: Ty::Number,
        sources: &[Monitoring],
        doc: "which of the force's stays in Engage the move opens or closes (1 for its first)",
    },
    ColumnInfo {
        names: &["since"],
        col: Col::Since,
        ty: Ty::Date,
        sources: &[Monitoring],
        doc: "the date the stay began (its entry's date)",
    },
    ColumnInfo {
        names: &["until"],
        col: Col::Until,
        ty: Ty::Date,
        sources: &[Monitoring],
        doc: "the date the stay ended (its exit's date; null while it lasts, or where undated)",
    },
    ColumnInfo {
        names: &["days"],
        col: Col::Days,
        ty: Ty::Number,
        sources: &[Monitoring],
        doc: "the stay's length in days, to its exit or, while it lasts, to the record's end (null unless both ends are dated to the day)",
    },
    ColumnInfo {
        names: &["ongoing"],
        col: Col::Ongoing,
        ty: Ty::Bool,
        sources: &[Monitoring],
        doc: "true when the stay has no exit on record",
    },
];

/// The column `name` of `source`, if it has one.
pub fn find(source: SourceKind, name: &str) -> Option<&'static ColumnInfo> {
    COLUMNS
        .iter()
        .find(|c| c.sources.contains(&source) && c.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
}

/// The columns of a source, each once, by header name.
pub fn of(source: SourceKind) -> Vec<&'static ColumnInfo> {
    COLUMNS.iter().filter(|c| c.sources.contains(&source)).collect()
}

/// The columns of a source as listings show them: each once, under its
/// header (a column that answers to several names is listed once).
pub fn listed(source: SourceKind) -> Vec<&'static ColumnInfo> {
    let mut seen: Vec<&str> = Vec::new();
    of(source)
        .into_iter()
        .filter(|c| {
            let fresh = !seen.contains(&c.names[0]);
            seen.push(c.names[0]);
            fresh
        })
        .collect()
}

/// The header of a column in a source.
pub fn header(source: SourceKind, col: Col) -> &'static str {
    COLUMNS.iter().find(|c| c.col == col && c.sources.contains(&source)).map_or("?", |c| c.names[0])
}

/// The default columns of each source, when no `select` is given
/// (`forces` adds a column per area; see [`super::Output::ForcesDefault`]).
pub fn defaults(source: SourceKind) -> &'static [Col] {
    match source {
        Forces => &[Col::Force, Col::Region, Col::Programme],
        Inspections => {
            &[Col::Force, Col::Programme, Col::Published, Col::Graded, Col::Announced, Col::Score, Col::Url]
        }
        Grades => &[Col::Force, Col::Programme, Col::Published, Col::Area, Col::Grade],
        Areas => &[Col::Programme, Col::Area, Col::Theme, Col::Pillar, Col::Question],
        Programmes => &[Col::Programme, Col::Years, Col::Scale, Col::Areas, Col::Inspections, Col::Grades],
        Monitoring => &[Col::Force, Col::Event, Col::Date, Col::Causes, Col::Basis],
    }
}

/// The type of a column.
pub fn type_of(col: Col) -> Ty {
    COLUMNS.iter().find(|c| c.col == col).map_or(Ty::Any, |c| c.ty)
}
