//! Habits from SQL and other languages, turned into hints that show the
//! PeelQL way: `SELECT * FROM forces` → `forces`, `LIKE '%x%'` → `~ "x"`.

use super::lexeme::{is_reserved, is_word_char};

/// One piece of a statement's text: a word, a string or anything else.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Word(&'a str),
    Str(&'a str),
    Other(&'a str),
}

/// Cuts text into words, strings (quotes included) and single other
/// characters; whitespace runs become one `Other(" ")`.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = if c.is_whitespace() {
            let n = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
            out.push(Piece::Other(" "));
            rest = &rest[n..];
            continue;
        } else if is_word_char(c) {
            let n = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
            out.push(Piece::Word(&rest[..n]));
            n
        } else if c == '"' || c == '\'' {
            let mut end = rest.len();
            let mut escaped = false;
            for (i, ch) in rest.char_indices().skip(1) {
                if escaped {
                    escaped = false;
                } else if ch == '\\' {
                    escaped = true;
                } else if ch == c {
                    end = i + 1;
                    break;
                }
            }
            out.push(Piece::Str(&rest[..end]));
            end
        } else {
            out.push(Piece::Other(&rest[..c.len_utf8()]));
            c.len_utf8()
        };
        rest = &rest[len..];
    }
    out
}

/// The text inside a quoted string (escapes left as written).
fn unquote(s: &str) -> &str {
    let inner = s.get(1..).unwrap_or("");
    match (s.chars().next(), inner.chars().last()) {
        (Some(q), Some(l)) if q == l && !inner.is_empty() => &inner[..inner.len() - 1],
        _ => inner,
    }
}

/// PeelQL's form of a SQL `LIKE` pattern (the text inside its quotes):
/// `%x%` → `~ "x"`.
pub(crate) fn like_to_contains(pattern: &str, negated: bool) -> String {
    let inner = pattern.trim_matches('%');
    let op = if negated { "!~" } else { "~" };
    format!("{op} \"{}\"", inner.replace('"', "\\\""))
}

/// Rewrites the SQL in `text` that PeelQL spells differently: `LIKE` and
/// `NOT LIKE` patterns, `==`, `&&`, `||`, `count(*)`; reserved words are
/// lower-cased. Used for hints only.
fn peelql_spelling(text: &str) -> String {
    let ps = pieces(text.trim());
    let mut out = String::new();
    let mut i = 0;
    while i < ps.len() {
        match &ps[i] {
            Piece::Word(w) if w.eq_ignore_ascii_case("not") || w.eq_ignore_ascii_case("like") => {
                let negated = w.eq_ignore_ascii_case("not");
                let like_at = if negated { i + 2 } else { i };
                let is_like = matches!(ps.get(like_at), Some(Piece::Word(l)) if l.eq_ignore_ascii_case("like"))
                    && (!negated || ps.get(i + 1) == Some(&Piece::Other(" ")));
                let pattern = match (ps.get(like_at + 1), ps.get(like_at + 2)) {
                    (Some(Piece::Str(s)), _) => Some((s, like_at + 2)),
                    (Some(Piece::Other(" ")), Some(Piece::Str(s))) => Some((s, like_at + 3)),
                    _ => None,
                };
                match (is_like, pattern) {
                    (true, Some((s, next))) => {
                        out.push_str(&like_to_contains(unquote(s), negated));
                        i = next;
                        continue;
                    }
                    _ => out.push_str(&w.to_ascii_lowercase()),
                }
            }
            Piece::Word(w) if is_reserved(w) || ps.get(i + 1) == Some(&Piece::Other("(")) => {
                out.push_str(&w.to_ascii_lowercase())
            }
            Piece::Word(w) => out.push_str(w),
            Piece::Str(s) => out.push_str(s),
            Piece::Other("=") if ps.get(i + 1) == Some(&Piece::Other("=")) => {
                out.push('=');
                i += 1;
            }
            Piece::Other(o @ ("&" | "|")) if ps.get(i + 1) == Some(&Piece::Other(o)) => {
                out.push_str(if *o == "&" { "and" } else { "or" });
                i += 1;
            }
            Piece::Other("*") if out.to_ascii_lowercase().ends_with("count(") => {}
            Piece::Other(o) => out.push_str(o),
        }
        i += 1;
    }
    out
}

/// For a statement starting with `SELECT`: the PeelQL form of the query,
/// and the byte range of the source name in `text`, if there is a `FROM`.
pub(crate) fn select_from(text: &str) -> (String, Option<(usize, usize)>) {
    let ps = pieces(text);
    let mut at = 0usize;
    let mut select_end = None;
    let mut from = None;
    let mut depth = 0i32;
    for (idx, p) in ps.iter().enumerate() {
        let len = match p {
            Piece::Word(w) | Piece::Str(w) => w.len(),
            Piece::Other(_) => 0,
        };
        // whitespace runs were collapsed; find the real length in `text`
        let real = match p {
            Piece::Other(" ") => text[at..].find(|c: char| !c.is_whitespace()).unwrap_or(text.len() - at),
            Piece::Other(o) => o.len(),
            _ => len,
        };
        match p {
            Piece::Word(w) if select_end.is_none() && w.eq_ignore_ascii_case("select") => {
                select_end = Some(at + real);
            }
            Piece::Word(w) if depth == 0 && w.eq_ignore_ascii_case("from") && from.is_none() => {
                from = Some((idx, at, at + real));
            }
            Piece::Other("(") => depth += 1,
            Piece::Other(")") => depth -= 1,
            _ => {}
        }
        at += real;
    }
    let select_end = select_end.unwrap_or(0);
    let Some((_, from_start, from_end)) = from else {
        let items = peelql_spelling(&text[select_end..]);
        let items = if items.is_empty() || items == "*" { String::new() } else { format!(" select {items}") };
        return (format!("forces{items}"), None);
    };
    let items = peelql_spelling(&text[select_end..from_start]);
    let after = &text[from_end..];
    let lead = after.len() - after.trim_start().len();
    let source_len = after.trim_start().find(|c: char| !is_word_char(c)).unwrap_or(after.trim_start().len());
    let source_start = from_end + lead;
    let source = &text[source_start..source_start + source_len];
    let rest = peelql_spelling(&text[source_start + source_len..]);
    let mut out = if source.is_empty() { "forces".to_string() } else { source.to_string() };
    if !rest.is_empty() {
        out.push(' ');
        out.push_str(&rest);
    }
    if !items.is_empty() && items != "*" {
        out.push_str(" select ");
        out.push_str(&items);
    }
    let span = (!source.is_empty()).then_some((source_start, source_start + source_len));
    (out, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_queries_get_their_peelql_form() {
        assert_eq!(select_from("SELECT * FROM forces").0, "forces");
        assert_eq!(select_from("select * from forces").1, Some((14, 20)));
        assert_eq!(select_from("SELECT name FROM forces WHERE x").0, "forces where x select name");
        assert_eq!(
            select_from(
                "SELECT name, region FROM forces WHERE name LIKE '%North%' ORDER BY name DESC LIMIT 5"
            )
            .0,
            "forces where name ~ \"North\" order by name desc limit 5 select name, region"
        );
        assert_eq!(
            select_from("SELECT grade, COUNT(*) FROM grades GROUP BY grade").0,
            "grades group by grade select grade, count()"
        );
        assert_eq!(select_from("select name").0, "forces select name");
        assert_eq!(
            select_from("SELECT * FROM grades WHERE grade == 'good' && x NOT LIKE 'a%'").0,
            "grades where grade = 'good' and x !~ \"a\""
        );
    }

    #[test]
    fn like_patterns() {
        assert_eq!(like_to_contains("%x%", false), "~ \"x\"");
        assert_eq!(like_to_contains("Met", true), "!~ \"Met\"");
    }
}
