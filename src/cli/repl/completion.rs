//! Tab completion: what may come at the cursor, from the grammar and the
//! catalog. Pure functions over the text typed so far; the rustyline glue
//! is in `helper.rs`.
//!
//! The text before the cursor is tokenized (`lex.rs`) and the statement
//! being typed (after the last `;`) is read far enough to know the slot
//! the cursor is in — a source, a clause keyword, a column of the current
//! source, a value compared with a column, the text of `area("…")`, a
//! programme after `in`… — and the candidates for that slot that match
//! what is typed are offered.
//!
//! Names are matched on the start of any of their words, ignoring case:
//! `offenders` finds "Managing offenders", `midlands` finds "West
//! Midlands Police". Inside `area("…")` candidates are grouped by theme
//! (one concern across programmes), so `sex` offers the one offenders area.

use super::commands;
use super::help;
use super::lex::{Kind, Token, lex};
use peelql::catalog::Catalog;
use peelql::catalog::normalise;
use peelql::output::Format;
use peelql::semantic::resolve::FUNCTIONS;
use peelql::semantic::{Col, SourceKind, columns};
use peelql::value::Grade;

/// One thing Tab can insert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// What the list of candidates shows.
    pub display: String,
    /// What replaces the text from [`Completion::start`] to the cursor.
    pub replacement: String,
}

/// The candidates at a cursor position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// Where the replaced text starts (byte offset).
    pub start: usize,
    /// The candidates, best first.
    pub candidates: Vec<Candidate>,
    /// Complete a file path instead (the argument of `.open`, `.import`).
    pub paths: bool,
}

impl Completion {
    fn none(pos: usize) -> Completion {
        Completion { start: pos, candidates: Vec::new(), paths: false }
    }
}

/// A force's names, and the forms they are matched in (normalised once,
/// so a keystroke over 180 000 forces allocates nothing per force).
#[derive(Clone, Debug)]
struct ForceWords {
    short: String,
    official: String,
    short_key: String,
    official_key: String,
    /// Aliases, normalised.
    aliases: Vec<String>,
}

/// A programme's names.
#[derive(Clone, Debug)]
struct ProgrammeWords {
    name: String,
    aliases: Vec<String>,
}

/// The words for one theme: what `area("…")` accepts for it, ranked by
/// how good they are to insert (0 best).
#[derive(Clone, Debug)]
struct ThemeWords {
    name: String,
    newest_label: String,
    texts: Vec<(String, u8)>,
}

/// Everything completion offers that comes from the data: a snapshot of
/// the catalog's names, plus the names bound by `let` in the session.
#[derive(Clone, Debug, Default)]
pub struct Words {
    /// Names bound by `let`, offered as sources.
    pub let_names: Vec<String>,
    forces: Vec<ForceWords>,
    programmes: Vec<ProgrammeWords>,
    themes: Vec<ThemeWords>,
    regions: Vec<String>,
    countries: Vec<String>,
}

impl Words {
    /// The names of a data set: its catalog's, and the fire and rescue
    /// programmes (`in "FRS 2021-22"`), which choose the services' data.
    /// Services' names are not offered where a force's name goes: a query
    /// reads one kind.
    pub fn from_dataset(ds: &peelql::dataset::Dataset) -> Words {
        let mut words = Words::from_catalog(&ds.catalog);
        let fire = &ds.fire().dataset.catalog;
        words.programmes.extend(
            fire.programmes
                .iter()
                .rev()
                .map(|p| ProgrammeWords { name: p.name.clone(), aliases: p.aliases.clone() }),
        );
        words
    }

    /// The names of a catalog.
    pub fn from_catalog(cat: &Catalog) -> Words {
        let forces = cat
            .forces
            .iter()
            .map(|f| ForceWords {
                short: f.short_name.clone(),
                official: f.name.clone(),
                short_key: normalise(&f.short_name),
                official_key: normalise(&f.name),
                aliases: f.aliases.iter().map(|a| normalise(a)).collect(),
            })
            .collect();
        let programmes = cat
            .programmes
            .iter()
            .rev()
            .map(|p| ProgrammeWords { name: p.name.clone(), aliases: p.aliases.clone() })
            .collect();
        let mut themes = Vec::new();
        for t in &cat.themes {
            let Some(newest) = t.areas.last() else { continue };
            let newest_label = cat.area(*newest).name.clone();
            let mut texts: Vec<(String, u8)> = Vec::new();
            let mut add = |text: &str, rank: u8| {
                if !texts.iter().any(|(x, _)| x.eq_ignore_ascii_case(text)) {
                    texts.push((text.to_string(), rank));
                }
            };
            if !t.key.contains('_') {
                add(&t.key, 0);
            }
            for a in &t.aliases {
                add(a, 0);
            }
            add(&newest_label, 1);
            add(&t.name, 2);
            for a in t.areas.iter().rev() {
                add(&cat.area(*a).name, 3);
            }
            themes.push(ThemeWords { name: t.name.clone(), newest_label, texts });
        }
        let mut regions: Vec<String> = cat.forces.iter().map(|f| f.region.clone()).collect();
        regions.sort();
        regions.dedup();
        let mut countries: Vec<String> = cat.forces.iter().map(|f| f.country.clone()).collect();
        countries.sort();
        countries.dedup();
        Words { let_names: Vec::new(), forces, programmes, themes, regions, countries }
    }
}

/// How well `typed` matches `text`: 0 when `text` starts with it, 1 when
/// one of its later words does, `None` when neither (ignoring case and
/// repeated spaces). Empty `typed` matches everything.
pub fn word_match(text: &str, typed: &str) -> Option<u8> {
    word_match_normalised(&normalise(text), &normalise(typed))
}

/// [`word_match`] of texts already normalised.
fn word_match_normalised(text: &str, typed: &str) -> Option<u8> {
    if typed.is_empty() || text.starts_with(typed) {
        return Some(0);
    }
    // the start of a later word (no substring searcher set up per name:
    // over 360 000 names that setup was most of a keystroke)
    let (bytes, want) = (text.as_bytes(), typed.as_bytes());
    (1..bytes.len().saturating_sub(want.len()) + 1)
        .any(|i| {
            !bytes[i - 1].is_ascii_alphanumeric() && bytes[i..].starts_with(want) && text.is_char_boundary(i)
        })
        .then_some(1)
}

/// Most candidates Tab lists: past them, a last line says there are more
/// (and nothing beyond what is typed is inserted). A store of 180 000
/// bodies would otherwise list 360 000 names for an opening `"`.
pub const MAX_CANDIDATES: usize = 500;

/// True when `text` starts with `typed`, ignoring ASCII case.
fn prefix_match(text: &str, typed: &str) -> bool {
    text.len() >= typed.len()
        && text.is_char_boundary(typed.len())
        && text[..typed.len()].eq_ignore_ascii_case(typed)
}

/// What may fill the slot at the cursor.
#[derive(Clone, Debug, PartialEq)]
enum Group {
    /// Keywords (inserted with a space after).
    Keywords(&'static [&'static str]),
    /// The clause keywords not given yet.
    Clauses(Vec<&'static str>),
    /// The sources and the names bound by `let`.
    Sources,
    /// The columns of a source (every source's when not known).
    Columns(Option<SourceKind>),
    /// Function names; `aggregates` adds those over a group's rows (sum,
    /// min, max, avg), which only `select` takes.
    Functions { aggregates: bool },
    /// The functions a `group by` key may use: a row's own value, never
    /// an aggregate, `count(area …)` or a window.
    KeyFunctions,
    /// The grade words, best first.
    Grades,
    /// `null`.
    Null,
    /// Force names, short and official, quoted.
    Forces,
    /// Programme names, quoted.
    Programmes,
    /// The text of an area: names and theme words, quoted; `call` closes
    /// the `area(` call too.
    Areas { call: bool },
    /// Fixed text values, quoted.
    Values(&'static [&'static str]),
    /// The police regions, quoted.
    Regions,
    /// The countries, quoted.
    Countries,
    /// The word after `requires`.
    Improvement,
}

impl Group {
    /// True for groups whose candidates are strings.
    fn quoted(&self) -> bool {
        matches!(
            self,
            Group::Forces
                | Group::Programmes
                | Group::Areas { .. }
                | Group::Values(_)
                | Group::Regions
                | Group::Countries
        )
    }
}

const STATEMENT_WORDS: &[&str] = &["let", "explain", "show"];
/// The functions of one row, usable in `where`; the library's other
/// functions ([`FUNCTIONS`]) add up a group's rows.
const ROW_FUNCTIONS: &[&str] = &["area", "previous", "change", "year", "round", "count", "rank"];
/// The calls a window (`per`, `overall`) may follow.
const WINDOWED: &[&str] = &["count", "sum", "min", "max", "avg", "percent", "rank"];
const EXPR_WORDS: &[&str] = &["not", "any area", "every area"];
const TEST_WORDS: &[&str] =
    &["and", "or", "is", "in", "not in", "at least", "at most", "better than", "worse than"];
const CLAUSES: &[&str] = &["where", "group by", "select", "order by", "limit", "then"];
const SHOW_TOPICS: &[&str] = &["forces", "areas", "programmes", "themes", "sources", "columns"];

/// The candidates for the cursor at byte `pos` of `text`. `text` is
/// everything typed for the input so far, earlier lines of a multi-line
/// statement included.
pub fn complete(words: &Words, text: &str, pos: usize) -> Completion {
    complete_at_most(words, text, pos, MAX_CANDIDATES)
}

/// [`complete`], stopping at `limit` candidates (a hint needs to know only
/// whether there is exactly one).
pub fn complete_at_most(words: &Words, text: &str, pos: usize, limit: usize) -> Completion {
    let pos = pos.min(text.len());
    let (before, after) = text.split_at(pos);
    if let Some(c) = dot_command(words, before) {
        return c;
    }
    let all = lex(before);
    let from = all.iter().rposition(|t| t.is_punct(";")).map_or(0, |i| i + 1);
    let toks = &all[from..];
    let sig = |toks: &[Token<'_>]| -> Vec<String> {
        toks.iter().filter(|t| t.significant()).map(|t| token_key(t)).collect()
    };
    match toks.last() {
        Some(t) if t.kind == (Kind::Str { closed: false }) => {
            let quote = t.text.chars().next().unwrap_or('"');
            let groups = groups_for(&sig(&toks[..toks.len() - 1]));
            let typed = &t.text[quote.len_utf8()..];
            let closing = !after.starts_with(quote);
            build(words, &groups, (t.start, &text[t.start..pos]), typed, Some(quote), closing, limit)
        }
        Some(t) if matches!(t.kind, Kind::Str { .. } | Kind::Param) && t.end == pos => Completion::none(pos),
        Some(t) if matches!(t.kind, Kind::Word | Kind::Number) && t.end == pos => {
            let mut keys = sig(&toks[..toks.len() - 1]);
            let mut start = t.start;
            // `in peel 20|`: the programme started at `peel`
            if keys.last().is_some_and(|k| matches!(k.as_str(), "peel" | "frs" | "fire"))
                && t.kind == Kind::Number
            {
                let peel = toks[..toks.len() - 1].iter().rev().find(|t| t.significant());
                if let Some(p) = peel {
                    start = p.start;
                    keys.pop();
                }
            }
            let groups = groups_for(&keys);
            build(words, &groups, (start, &text[start..pos]), &text[start..pos], None, true, limit)
        }
        _ => {
            let groups = groups_for(&sig(toks));
            build(words, &groups, (pos, ""), "", None, true, limit)
        }
    }
}

/// A token as the slot analysis compares it: words lower-cased, strings
/// as `"`, numbers as `0`, parameters as `$`.
fn token_key(t: &Token<'_>) -> String {
    match t.kind {
        Kind::Word | Kind::Punct => t.key(),
        Kind::Str { .. } => "\"".into(),
        Kind::Number => "0".into(),
        Kind::Param => "$".into(),
        Kind::Space | Kind::Comment => String::new(),
    }
}

fn is_word(k: &str) -> bool {
    k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
}

/// The statement's head: how many tokens name the source, and the source
/// word (`None` for `show areas`).
fn head(sig: &[String]) -> Option<(usize, Option<&str>)> {
    match sig {
        [e, s, ..] if e == "explain" && is_word(s) => Some((2, Some(s))),
        [l, _, eq, s, ..] if l == "let" && eq == "=" && is_word(s) => Some((4, Some(s))),
        [sh, a, ..] if sh == "show" && a == "areas" => Some((2, None)),
        [s, ..] if is_word(s) && !STATEMENT_WORDS.contains(&s.as_str()) => Some((1, Some(s))),
        _ => None,
    }
}

/// How many tokens a programme after `in` takes: `latest`, `"…"`, `$p`,
/// `2021`, `peel 2021`.
fn programme_len(rest: &[String]) -> usize {
    match rest {
        [p, n, ..] if matches!(p.as_str(), "peel" | "frs" | "fire") && n == "0" => 2,
        [_, ..] => 1,
        [] => 0,
    }
}

/// What may come after the significant tokens `sig` of a statement.
fn groups_for(sig: &[String]) -> Vec<Group> {
    use Group::*;
    let Some(first) = sig.first() else {
        return vec![Sources, Keywords(STATEMENT_WORDS)];
    };
    match (first.as_str(), sig.len()) {
        ("explain", 1) => return vec![Sources],
        ("let", 1 | 2) => return vec![],
        ("let", 3) => return vec![Sources],
        ("show", 1) => return vec![Keywords(SHOW_TOPICS)],
        ("show", 2) if sig[1] == "columns" => return vec![Sources],
        ("show", 2) if sig[1] == "areas" => return vec![Keywords(&["in"])],
        ("show", _) if sig.get(1).is_some_and(|s| s != "areas") => return vec![],
        _ => {}
    }
    let Some((head_len, source_word)) = head(sig) else { return vec![] };
    let source = source_word.and_then(SourceKind::from_name);
    // `as of` is for rows of forces: not after `monitoring`, `areas`, `programmes`
    let after_source: &[&str] = match source {
        Some(s) if !s.has_inspection() => &["in"],
        _ => &["in", "as of"],
    };
    if sig.len() == head_len {
        return if source_word.is_some() {
            vec![Keywords(after_source), Clauses(CLAUSES.to_vec())]
        } else {
            vec![]
        };
    }
    let mut rest = &sig[head_len..];
    if rest[0] == "in" {
        if rest.len() == 1 {
            return vec![Keywords(&["latest", "all"]), Programmes];
        }
        let n = programme_len(&rest[1..]);
        if rest.len() == 1 + n {
            return if source_word.is_some() {
                vec![Keywords(&after_source[1..]), Clauses(CLAUSES.to_vec())]
            } else {
                vec![]
            };
        }
        rest = &rest[1 + n..];
    }
    if rest.len() >= 2 && rest[0] == "as" && rest[1] == "of" {
        // `as of` takes dates, or a date column of the row: `as of published`
        if rest.len() == 2 || rest.last().is_some_and(|w| w == ",") {
            return vec![Columns(source)];
        }
        if !rest[2..].iter().any(|w| CLAUSES.iter().any(|c| c.split(' ').next() == Some(w.as_str()))) {
            return vec![Clauses(CLAUSES.to_vec())];
        }
        rest = &rest[2..];
    }
    if source_word.is_none() {
        return vec![];
    }
    clause_groups(rest, source)
}

/// What an open `(` belongs to.
#[derive(Clone, Debug, PartialEq)]
enum Paren {
    /// `x in (…`: the list's left operand is at this index.
    List(Option<usize>),
    /// `name(…`.
    Call(String),
    /// Grouping.
    Group,
}

/// What may come after the tokens `rest` of a query's clauses.
fn clause_groups(rest: &[String], source: Option<SourceKind>) -> Vec<Group> {
    use Group::*;
    // the open parentheses, and the clauses seen at depth 0
    let mut parens: Vec<Paren> = Vec::new();
    let mut used: Vec<&str> = Vec::new();
    let mut closed: Option<Paren> = None;
    for (i, k) in rest.iter().enumerate() {
        match k.as_str() {
            "(" => parens.push(match i.checked_sub(1).map(|j| rest[j].as_str()) {
                Some("in") => Paren::List(left_of_in(rest, i - 1)),
                Some(w) if is_word(w) && !is_keyword(w) => Paren::Call(w.to_string()),
                _ => Paren::Group,
            }),
            ")" => {
                closed = parens.pop();
            }
            "where" | "select" | "group" | "order" | "sort" | "limit" if parens.is_empty() => {
                used.push(if k == "sort" { "order" } else { k });
            }
            _ => {}
        }
    }
    let clause = used.last().copied().unwrap_or("");
    let Some(prev) = rest.last().map(String::as_str) else { return vec![] };
    let prev2 = rest.len().checked_sub(2).map(|i| rest[i].as_str());
    let expr = || vec![Columns(source), Functions { aggregates: false }, Keywords(EXPR_WORDS)];
    let items = || vec![Columns(source), Functions { aggregates: true }];
    match prev {
        "group" | "order" | "sort" => vec![Keywords(&["by"])],
        "at" => vec![Keywords(&["least", "most"])],
        "better" | "worse" => vec![Keywords(&["than"])],
        "any" | "every" => vec![Keywords(&["area"])],
        "requires" => vec![Improvement],
        "limit" | "as" | "in" => vec![],
        "select" => {
            let mut g = vec![Keywords(&["distinct"])];
            g.extend(items());
            g
        }
        // a group's key is a column or a plain function, never an aggregate
        "by" if prev2 == Some("group") => vec![Columns(source), KeyFunctions],
        "by" | "distinct" => items(),
        "per" => vec![Columns(source)],
        "where" | "and" | "or" => expr(),
        "not" if prev2.is_some_and(ends_operand) => vec![Keywords(&["in"])],
        "not" => expr(),
        "is" => {
            let mut g = vec![Keywords(&["not"]), Null];
            g.extend(value_groups(rest, rest.len() - 1, source));
            g
        }
        "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=" | "~" | "!~" | "least" | "most" | "than" => {
            value_groups(rest, rest.len() - 1, source)
        }
        "(" => match parens.last() {
            Some(Paren::List(left)) => value_groups_of(rest, *left, source),
            Some(Paren::Call(f)) if f == "area" => vec![Areas { call: true }],
            Some(Paren::Call(f)) if f == "count" => {
                let mut g = vec![Keywords(&["area"])];
                g.extend(expr());
                g
            }
            Some(Paren::Call(f)) if f == "previous" || f == "change" => {
                vec![Functions { aggregates: false }, Columns(source)]
            }
            _ => expr(),
        },
        "," => match parens.last() {
            Some(Paren::List(left)) => value_groups_of(rest, *left, source),
            Some(_) => expr(),
            None if clause == "group" => vec![Columns(source), KeyFunctions],
            None if matches!(clause, "select" | "order") => items(),
            None => vec![],
        },
        _ if ends_operand(prev) => {
            let mut g = Vec::new();
            if prev == ")" && matches!(&closed, Some(Paren::Call(f)) if WINDOWED.contains(&f.as_str())) {
                g.push(Keywords(&["per", "overall"]));
            }
            if clause == "where" || !parens.is_empty() {
                g.push(Keywords(TEST_WORDS));
            }
            if parens.is_empty() {
                match clause {
                    "select" => g.push(Keywords(&["as"])),
                    "order" => g.push(Keywords(&["asc", "desc"])),
                    _ => {}
                }
                g.push(Clauses(
                    CLAUSES.iter().filter(|c| !used.iter().any(|u| c.starts_with(u))).copied().collect(),
                ));
            }
            g
        }
        _ => vec![],
    }
}

/// True for a token that can end an operand: a name, a literal, `)`.
fn ends_operand(k: &str) -> bool {
    k == ")"
        || k == "\""
        || k == "0"
        || k == "$"
        || k == "asc"
        || k == "desc"
        || k == "null"
        || k == "true"
        || k == "false"
        || (is_word(k) && (!is_keyword(k) || is_grade_word(k)))
}

/// A word of the grammar: reserved or contextual (one list, beside
/// [`peelql::syntax::parser::is_reserved`], that the highlighter uses too).
fn is_keyword(k: &str) -> bool {
    peelql::syntax::parser::is_keyword(k)
}

fn is_grade_word(k: &str) -> bool {
    Grade::parse(k).is_some() || k == "improvement"
}

/// The left operand of `in` at index `at` (skipping a `not`).
fn left_of_in(rest: &[String], at: usize) -> Option<usize> {
    let i = at.checked_sub(1)?;
    if rest[i] == "not" { i.checked_sub(1) } else { Some(i) }
}

/// The values that fit after the comparison operator ending at index `op`.
fn value_groups(rest: &[String], op: usize, source: Option<SourceKind>) -> Vec<Group> {
    let mut i = op;
    // walk back over the words of the operator: `is at least`, `worse than`, `is not`
    while i > 0
        && matches!(rest[i].as_str(), "is" | "not" | "at" | "least" | "most" | "better" | "worse" | "than")
    {
        i -= 1;
    }
    if matches!(rest[i].as_str(), "is" | "not" | "at" | "least" | "most" | "better" | "worse" | "than") {
        return value_groups_of(rest, None, source);
    }
    let left = if i == op { i.checked_sub(1) } else { Some(i) };
    value_groups_of(rest, left, source)
}

/// The values that fit beside the operand at index `left`.
fn value_groups_of(rest: &[String], left: Option<usize>, source: Option<SourceKind>) -> Vec<Group> {
    use Group::*;
    let fallback = || vec![Grades, Null, Columns(source), Functions { aggregates: false }];
    let Some(left) = left else { return fallback() };
    let word = rest[left].as_str();
    if word == ")" {
        // a call: find its name
        let mut depth = 0;
        for j in (0..left).rev() {
            match rest[j].as_str() {
                ")" => depth += 1,
                "(" if depth == 0 => {
                    let name = j.checked_sub(1).map(|k| rest[k].as_str());
                    return match name {
                        Some("area" | "previous") => vec![Grades, Null, Functions { aggregates: false }],
                        _ => fallback(),
                    };
                }
                "(" => depth -= 1,
                _ => {}
            }
        }
        return fallback();
    }
    let col = source.and_then(|s| columns::find(s, word)).map(|c| c.col);
    match col {
        Some(Col::Force | Col::Short) => vec![Forces],
        Some(Col::Programme) => vec![Programmes],
        Some(Col::Area | Col::Theme) => vec![Areas { call: false }],
        Some(Col::Region) => vec![Regions],
        Some(Col::Country) => vec![Countries],
        Some(Col::Basis) if source == Some(SourceKind::Monitoring) => vec![Values(&["stated", "inferred"])],
        Some(Col::Basis) => vec![Values(&["stated", "elimination", "inferred"])],
        Some(Col::Event) => vec![Values(&["entered", "left"])],
        Some(Col::Grade) => vec![Grades, Null],
        Some(_) => vec![Null, Columns(source)],
        None => fallback(),
    }
}

/// Turns slot groups into the candidates matching `typed`.
/// The candidates of `groups` for `typed`, replacing the text `current`
/// from `start` to the cursor; at most `limit` (then a last line saying
/// there are more, which inserts nothing).
fn build(
    words: &Words,
    groups: &[Group],
    (start, current): (usize, &str),
    typed: &str,
    quote: Option<char>,
    closing: bool,
    limit: usize,
) -> Completion {
    let mut out: Vec<Candidate> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut more = false;
    // false once `limit` candidates are in: the caller stops looking
    let mut push = |display: String, replacement: String| {
        if seen.contains(&replacement) {
            return true;
        }
        if out.len() >= limit {
            more = true;
            return false;
        }
        seen.insert(replacement.clone());
        out.push(Candidate { display, replacement });
        true
    };
    // inside a string only strings fit; outside, a string value is typed
    // as a bare word and replaced quoted
    let q = quote.unwrap_or('"');
    let quoted = |text: &str, tail: &str| {
        if closing { format!("{q}{text}{q}{tail}") } else { format!("{q}{text}") }
    };
    for g in groups {
        if quote.is_some() && !g.quoted() {
            continue;
        }
        match g {
            Group::Keywords(_) | Group::Clauses(_) => {
                let list: &[&str] = match g {
                    Group::Keywords(l) => l,
                    Group::Clauses(l) => l,
                    _ => &[],
                };
                for k in list.iter().filter(|k| prefix_match(k, typed)) {
                    push(k.to_string(), format!("{k} "));
                }
            }
            Group::Sources => {
                let names = SourceKind::ALL
                    .iter()
                    .map(|s| s.name().to_string())
                    .chain(std::iter::once("services".to_string()))
                    .chain(words.let_names.clone());
                for s in names.filter(|s| prefix_match(s, typed)) {
                    push(s.clone(), format!("{s} "));
                }
            }
            Group::Columns(source) => {
                let kinds: Vec<SourceKind> = match source {
                    Some(s) => vec![*s],
                    None => SourceKind::ALL.to_vec(),
                };
                for k in kinds {
                    for c in columns::of(k) {
                        let name = c.names[0];
                        if prefix_match(name, typed) {
                            push(name.to_string(), name.to_string());
                        }
                    }
                }
            }
            Group::Functions { .. } | Group::KeyFunctions => {
                for f in FUNCTIONS {
                    let allowed = match g {
                        Group::Functions { aggregates } => *aggregates || ROW_FUNCTIONS.contains(f),
                        _ => ROW_FUNCTIONS.contains(f) && !matches!(*f, "count" | "rank"),
                    };
                    if !allowed {
                        continue;
                    }
                    if prefix_match(f, typed) {
                        let (display, replacement) = if *f == "area" {
                            ("area(\"…\")".to_string(), "area(\"".to_string())
                        } else {
                            (format!("{f}(…)"), format!("{f}("))
                        };
                        push(display, replacement);
                    }
                }
            }
            Group::Grades => {
                for g in Grade::ALL.iter().rev() {
                    if prefix_match(g.name(), typed) {
                        push(g.name().to_string(), g.name().to_string());
                    }
                }
            }
            Group::Improvement => {
                if prefix_match("improvement", typed) {
                    push("improvement".into(), "improvement".into());
                }
            }
            Group::Null => {
                if prefix_match("null", typed) {
                    push("null".into(), "null".into());
                }
            }
            Group::Forces => {
                let key = normalise(typed);
                let alias_key = normalise(typed.trim_start());
                // names that start with what is typed, then names with a
                // later word that does; no more of each than can be listed
                // (names are unique across forces, so hits are distinct)
                let (mut first, mut later): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
                for f in &words.forces {
                    let alias = f.aliases.iter().any(|a| a.starts_with(&alias_key));
                    for (name, name_key) in [(&f.short, &f.short_key), (&f.official, &f.official_key)] {
                        match word_match_normalised(name_key, &key).or(alias.then_some(1)) {
                            Some(0) if first.len() <= limit => first.push(name),
                            Some(_) if later.len() <= limit => later.push(name),
                            _ => {}
                        }
                    }
                    if first.len() > limit || (limit <= 2 && first.len() + later.len() > limit) {
                        break;
                    }
                }
                for name in first.into_iter().chain(later) {
                    if !push(name.to_string(), quoted(name, "")) {
                        break;
                    }
                }
            }
            Group::Programmes => {
                // fire programmes only once the text says fire (`frs …`, `fire …`):
                // a bare year is a police cycle, as it always was
                let fire_typed = typed.trim_start_matches('"').to_ascii_lowercase().starts_with('f');
                for p in &words.programmes {
                    if p.name.starts_with("FRS ") && !fire_typed {
                        continue;
                    }
                    let hit = word_match(&p.name, typed).is_some()
                        || p.aliases.iter().any(|a| word_match(a, typed.trim_start_matches('"')).is_some());
                    if hit {
                        push(p.name.clone(), quoted(&p.name, ""));
                    }
                }
            }
            Group::Values(_) | Group::Regions | Group::Countries => {
                let list: Vec<&str> = match g {
                    Group::Values(v) => v.to_vec(),
                    Group::Regions => words.regions.iter().map(String::as_str).collect(),
                    _ => words.countries.iter().map(String::as_str).collect(),
                };
                for v in list {
                    if word_match(v, typed).is_some() {
                        push(v.to_string(), quoted(v, ""));
                    }
                }
            }
            Group::Areas { call } => {
                for (text, theme) in area_matches(words, typed) {
                    let display = if text.eq_ignore_ascii_case(&theme) {
                        text.clone()
                    } else {
                        format!("{text} ({theme})")
                    };
                    push(display, quoted(&text, if *call { ")" } else { "" }));
                }
            }
        }
    }
    if more {
        out.push(Candidate {
            display: format!("… more than {limit}: type more letters"),
            replacement: current.to_string(),
        });
    }
    Completion { start, candidates: out, paths: false }
}

/// The area text to offer for each theme `typed` matches, best first, with
/// the theme's name: a text that starts with `typed` before one with a
/// later word that does, then the better text to insert, then the
/// shorter. With nothing typed, every theme's newest area label.
pub fn area_matches(words: &Words, typed: &str) -> Vec<(String, String)> {
    let mut hits: Vec<((u8, u8, usize), String, String)> = Vec::new();
    for t in &words.themes {
        if normalise(typed).is_empty() {
            hits.push(((0, 0, 0), t.newest_label.clone(), t.name.clone()));
            continue;
        }
        let best = t
            .texts
            .iter()
            .filter_map(|(text, rank)| word_match(text, typed).map(|m| ((m, *rank, text.len()), text)))
            .min_by_key(|(key, _)| *key);
        if let Some((key, text)) = best {
            hits.push((key, text.clone(), t.name.clone()));
        }
    }
    hits.sort_by_key(|(key, _, _)| *key);
    hits.into_iter().map(|(_, text, theme)| (text, theme)).collect()
}

/// Completion of a dot-command line: the command, then its argument.
fn dot_command(words: &Words, before: &str) -> Option<Completion> {
    let trimmed = before.trim_start();
    if !trimmed.starts_with('.') {
        return None;
    }
    let lead = before.len() - trimmed.len();
    let Some(space) = trimmed.find(char::is_whitespace) else {
        let candidates = commands::COMMANDS
            .iter()
            .filter(|c| prefix_match(c.name, trimmed))
            .map(|c| Candidate {
                display: c.name.to_string(),
                replacement: if c.args.is_empty() { c.name.to_string() } else { format!("{} ", c.name) },
            })
            .collect();
        return Some(Completion { start: lead, candidates, paths: false });
    };
    let command = &trimmed[..space];
    let arg = trimmed[space..].trim_start();
    let start = before.len() - arg.len();
    let simple = |list: Vec<String>| {
        let candidates = list
            .into_iter()
            .filter(|x| prefix_match(x, arg))
            .map(|x| Candidate { display: x.clone(), replacement: x })
            .collect();
        Some(Completion { start, candidates, paths: false })
    };
    match commands::canonical(command) {
        Some(".format") => simple(Format::names().iter().map(|s| s.to_string()).collect()),
        Some(".timer") => simple(vec!["on".into(), "off".into()]),
        Some(".maxrows") => simple(vec!["all".into()]),
        Some(".help") => simple(help::TOPICS.iter().map(|t| t.name.to_string()).collect()),
        Some(".areas") => {
            let candidates = words
                .programmes
                .iter()
                // `.areas` shows a police programme's areas (`show areas`)
                .filter(|p| !p.name.starts_with("FRS "))
                .filter(|p| {
                    word_match(&p.name, arg).is_some()
                        || p.aliases.iter().any(|a| word_match(a, arg).is_some())
                })
                .map(|p| Candidate { display: p.name.clone(), replacement: p.name.clone() })
                .collect();
            Some(Completion { start, candidates, paths: false })
        }
        Some(".open" | ".import") => Some(Completion { start, candidates: Vec::new(), paths: true }),
        _ => Some(Completion::none(before.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn words() -> &'static Words {
        static W: OnceLock<Words> = OnceLock::new();
        W.get_or_init(|| {
            let engine = peelql::Engine::in_memory().expect("bundled data");
            let mut w = Words::from_dataset(&engine.dataset());
            w.let_names = vec!["bad".into()];
            w
        })
    }

    /// The replacements offered with the cursor at the end of `text`.
    fn offered(text: &str) -> Vec<String> {
        complete(words(), text, text.len()).candidates.into_iter().map(|c| c.replacement).collect()
    }

    /// The text after taking the only candidate.
    fn completed(text: &str) -> String {
        let c = complete(words(), text, text.len());
        assert_eq!(c.candidates.len(), 1, "{text:?}: {:?}", c.candidates);
        format!("{}{}", &text[..c.start], c.candidates[0].replacement)
    }

    #[test]
    fn contextual_words_complete_and_are_not_operands() {
        // the words themselves are offered where they go
        assert_eq!(completed("grades select dist"), "grades select distinct ");
        has("grades select count(grade) ", &["per ", "overall "]);
        // after `distinct`, `per`: a column, not an operator (they end no operand)
        has("grades select distinct ", &["force"]);
        lacks("grades select distinct ", &["= ", "and "]);
        has("grades select count(grade) per ", &["region"]);
        // `frs` and `fire` name the fire programmes
        assert_eq!(completed("forces in fire 2023"), "forces in \"FRS 2023-25\"");
        assert!(is_keyword("frs") && is_keyword("overall") && is_keyword("distinct") && is_keyword("per"));
    }

    fn has(text: &str, want: &[&str]) {
        let got = offered(text);
        for w in want {
            assert!(got.iter().any(|g| g == w), "{text:?}: {w:?} not in {got:?}");
        }
    }

    fn lacks(text: &str, unwanted: &[&str]) {
        let got = offered(text);
        for w in unwanted {
            assert!(!got.iter().any(|g| g == w), "{text:?}: {w:?} should not be in {got:?}");
        }
    }

    #[test]
    fn engage_words() {
        assert_eq!(completed("moni"), "monitoring ");
        has("monitoring where ", &["event", "date", "since", "until", "days", "stay"]);
        assert_eq!(completed("monitoring where event = ent"), "monitoring where event = \"entered\"");
        has("monitoring where basis = ", &["\"inferred\""]);
        lacks("monitoring where basis = ", &["\"elimination\""]);
        has("forces ", &["as of "]);
        has("forces in all ", &["as of "]);
        lacks("monitoring ", &["as of "]);
        has("forces as of ", &["published"]);
        has("forces as of published ", &["where "]);
        has("forces where ", &["engage", "engage_since", "engage_times", "engage_days", "as_of"]);
    }

    #[test]
    fn word_matching() {
        assert_eq!(word_match("Managing offenders", "offenders"), Some(1));
        assert_eq!(word_match("Managing offenders", "manag"), Some(0));
        assert_eq!(word_match("Managing offenders", "fenders"), None);
        assert_eq!(word_match("anti-social behaviour", "social"), Some(1));
        assert_eq!(word_match("West  Midlands Police", "midlands pol"), Some(1));
        assert_eq!(word_match("x", ""), Some(0));
    }

    #[test]
    fn statement_start_offers_sources_and_statements() {
        has("", &["forces ", "grades ", "let ", "explain ", "show ", "bad "]);
        assert_eq!(completed("for"), "forces ");
        assert_eq!(completed("forces; gra"), "forces; grades ");
        assert_eq!(completed("explain insp"), "explain inspections ");
        assert_eq!(completed("let x = prog"), "let x = programmes ");
        assert_eq!(completed("show col"), "show columns ");
        assert_eq!(completed("show columns ar"), "show columns areas ");
    }

    #[test]
    fn distinct_and_windows() {
        assert_eq!(completed("forces select dis"), "forces select distinct ");
        assert_eq!(completed("forces select avg(score) ov"), "forces select avg(score) overall ");
        assert_eq!(completed("forces select rank(score desc) pe"), "forces select rank(score desc) per ");
        assert_eq!(completed("forces select avg(score) per reg"), "forces select avg(score) per region");
        has("forces select year(published) ", &["as "]);
    }

    #[test]
    fn clauses_after_the_source() {
        has("forces ", &["in ", "where ", "group by ", "select ", "order by ", "limit "]);
        assert_eq!(completed("forces wh"), "forces where ");
        assert_eq!(completed("grades gr"), "grades group by ");
        assert_eq!(completed("grades group b"), "grades group by ");
        // a clause given already is not offered again
        lacks("forces where region = \"Eastern\" ", &["where "]);
        has("forces where region = \"Eastern\" ", &["and ", "or ", "select ", "order by "]);
        has("forces select name ", &["as ", "where "]);
        has("forces order by name ", &["asc ", "desc ", "limit "]);
        lacks("forces limit ", &["where "]);
    }

    #[test]
    fn programmes_after_in() {
        has("forces in ", &["latest ", "all ", "\"PEEL 2023-25\"", "\"PEEL 2014\""]);
        assert_eq!(completed("forces in lat"), "forces in latest ");
        assert_eq!(completed("forces in 2021"), "forces in \"PEEL 2021-22\"");
        assert_eq!(completed("forces in peel 2021"), "forces in \"PEEL 2021-22\"");
        assert_eq!(completed("grades in \"PEEL 2018"), "grades in \"PEEL 2018-19\"");
        assert_eq!(completed("show areas in 2023"), "show areas in \"PEEL 2023-25\"");
        has("forces in peel 2021 ", &["where ", "select "]);
        lacks("forces in peel 2021 ", &["in "]);
        assert_eq!(completed("grades in frs 2021"), "grades in \"FRS 2021-22\"");
        assert_eq!(completed("serv"), "services ");
    }

    #[test]
    fn columns_of_the_current_source() {
        has("grades where ", &["area", "grade", "basis", "force", "area(\"", "not ", "any area "]);
        lacks("grades where ", &["years", "scale", "min(", "forces "]);
        has("programmes where ", &["years", "scale"]);
        lacks("programmes where ", &["basis"]);
        assert_eq!(completed("forces where reg"), "forces where region");
        assert_eq!(completed("grades select force, ba"), "grades select force, basis");
        has("grades group by grade select grade, ", &["count(", "avg("]);
        // not allowed in `group by`: no aggregates offered there
        lacks("grades group by ", &["count(", "avg(", "max("]);
        lacks("grades group by force, ", &["count(", "avg("]);
        has("grades group by ", &["grade", "year("]);
        // every function of the library is offered in select; only row functions in where
        for f in FUNCTIONS.iter().filter(|f| **f != "area") {
            has("grades group by grade select ", &[&format!("{f}(")]);
        }
        lacks("grades where ", &["sum(", "min(", "max(", "avg("]);
        // the source of the statement being typed, not an earlier one
        assert_eq!(completed("programmes; grades where bas"), "programmes; grades where basis");
        // across lines
        assert_eq!(completed("grades\nwhere\nbas"), "grades\nwhere\nbasis");
    }

    #[test]
    fn functions() {
        assert_eq!(completed("forces where ar"), "forces where area(\"");
        assert_eq!(
            completed("forces where area(\"responding\") < prev"),
            "forces where area(\"responding\") < previous("
        );
        has("forces where count(", &["area "]);
    }

    #[test]
    fn grade_words() {
        assert_eq!(
            completed("forces where area(\"offenders\") = ina"),
            "forces where area(\"offenders\") = inadequate"
        );
        assert_eq!(
            completed("forces where area(\"offenders\") = req"),
            "forces where area(\"offenders\") = requires improvement"
        );
        assert_eq!(
            completed("forces where area(\"x\") = requires imp"),
            "forces where area(\"x\") = requires improvement"
        );
        assert_eq!(
            completed("forces where area(\"x\") at least g"),
            "forces where area(\"x\") at least good"
        );
        assert_eq!(
            completed("forces where area(\"x\") is worse than ad"),
            "forces where area(\"x\") is worse than adequate"
        );
        assert_eq!(completed("grades where grade in (ina"), "grades where grade in (inadequate");
        assert_eq!(completed("forces where any area = out"), "forces where any area = outstanding");
        let all = offered("grades where grade = ");
        assert_eq!(all, ["outstanding", "good", "adequate", "requires improvement", "inadequate", "null"]);
        assert_eq!(completed("forces where area(\"x\") at le"), "forces where area(\"x\") at least ");
    }

    #[test]
    fn areas_inside_area_call() {
        assert_eq!(completed("forces where area(\"sex"), "forces where area(\"sex offenders\")");
        // any word, not only the start
        assert_eq!(completed("forces where area(\"suspec"), "forces where area(\"suspects\")");
        let c = offered("forces where area(\"offend");
        assert_eq!(c[0], "\"offenders\")", "{c:?}");
        // single quotes are kept
        assert_eq!(completed("forces where area('rso"), "forces where area('rso')");
        // a closing quote after the cursor is left alone
        let text = "forces where area(\"sex\")";
        let c = complete(words(), text, text.len() - 2);
        assert_eq!(c.candidates[0].replacement, "\"sex offenders");
        // with no quote typed yet, every theme, quoted
        let all = offered("forces where area(");
        assert!(all.len() > 10, "{all:?}");
        assert!(all.contains(&"\"Managing offenders\")".to_string()), "{all:?}");
        // many themes for a common word, each once
        let crime = offered("forces where area(\"crime");
        assert!(crime.len() >= 3, "{crime:?}");
        assert!(crime.iter().all(|c| c.ends_with("\")")));
    }

    #[test]
    fn every_area_candidate_resolves() {
        let engine = peelql::Engine::in_memory().unwrap();
        for c in offered("grades in all where area(") {
            let q = format!("grades in all where area({c} select area limit 1");
            engine.query(&q).unwrap_or_else(|e| panic!("{q}: {e}"));
        }
        for word in ["sex", "999", "crime", "victim", "work", "vett", "stop"] {
            for c in offered(&format!("grades in all where area(\"{word}")) {
                let q = format!("grades in all where area({c} select area limit 1");
                engine.query(&q).unwrap_or_else(|e| panic!("{q}: {e}"));
            }
        }
    }

    #[test]
    fn forces_quoted() {
        has("grades where force = cam", &["\"Cambridgeshire\"", "\"Cambridgeshire Constabulary\""]);
        has("grades where force = \"cam", &["\"Cambridgeshire\"", "\"Cambridgeshire Constabulary\""]);
        has("forces where name = \"midl", &["\"West Midlands\"", "\"West Midlands Police\""]);
        // an alias finds the force
        has("grades where force = \"cambs", &["\"Cambridgeshire\""]);
        has("grades where force in (\"kent\", \"sur", &["\"Surrey\"", "\"Surrey Police\""]);
        lacks("grades where force = \"cam", &["inadequate"]);
    }

    #[test]
    fn other_values() {
        has("forces where region = \"E", &["\"Eastern\""]);
        has("grades where basis = ", &["\"stated\"", "\"inferred\""]);
        has("grades where programme = \"PEEL 2", &["\"PEEL 2021-22\""]);
        has("grades where area = \"offend", &["\"offenders\""]);
        assert!(offered("grades where \"x").is_empty());
        assert!(offered("forces limit ").is_empty());
    }

    #[test]
    fn nothing_inside_a_closed_string_or_after_it() {
        assert!(offered("forces where region = \"Eastern\"").is_empty());
    }

    #[test]
    fn dot_commands() {
        has(
            ".",
            &[
                ".help ",
                ".format ",
                ".timer ",
                ".open ",
                ".sources",
                ".areas ",
                ".forces",
                ".programmes",
                ".import ",
                ".quit",
            ],
        );
        assert_eq!(completed(".form"), ".format ");
        has(".fo", &[".format ", ".forces"]);
        assert_eq!(completed(".forc"), ".forces");
        assert_eq!(completed(".format c"), ".format csv");
        has(".format ", &["table", "csv", "json", "ndjson", "markdown"]);
        has(".timer ", &["on", "off"]);
        has(".help ", &["sources", "commands"]);
        assert_eq!(completed(".areas 2021"), ".areas PEEL 2021-22");
        assert_eq!(completed(".areas peel 2018"), ".areas PEEL 2018-19");
        assert!(complete(words(), ".open ", 6).paths);
        assert!(complete(words(), ".import data/", 13).paths);
    }

    #[test]
    fn tolerates_anything() {
        for text in [
            "(((",
            ")))",
            "forces where ((",
            "\"",
            "'",
            ";;;",
            "é",
            "forces where x = é",
            "$",
            "1 2 3",
            "= = =",
        ] {
            for pos in 0..=text.len() {
                if text.is_char_boundary(pos) {
                    let _ = complete(words(), text, pos);
                }
            }
        }
    }
}
