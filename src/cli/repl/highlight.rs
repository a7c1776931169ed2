//! Highlighting the line being typed: keywords, strings, numbers, grade
//! words in their grade's colour (the colours the result tables use), and
//! the bracket matching the one at the cursor.
//!
//! Only ANSI colour codes are added, never visible characters, so the line
//! keeps its width (rustyline lays the cursor out on the plain text).

use super::lex::{Kind, Token, lex};
use peelql::semantic::SourceKind;
use peelql::value::Grade;

const RESET: &str = "\x1b[0m";
const KEYWORD: &str = "\x1b[1;34m";
const SOURCE: &str = "\x1b[1m";
const STRING: &str = "\x1b[36m";
const NUMBER: &str = "\x1b[35m";
const PARAM: &str = "\x1b[35m";
const COMMENT: &str = "\x1b[2m";
const BRACKET: &str = "\x1b[1;7m";
const COMMAND: &str = "\x1b[1;34m";
/// Hints are dimmed.
pub const HINT: &str = "\x1b[2m";

pub use peelql::output::grade_colour;

fn is_keyword(word: &str) -> bool {
    // grades (and `requires`) are coloured as grades before this is asked
    peelql::syntax::parser::is_keyword(word)
}

/// `line` with colour codes. `pending` holds the earlier lines of a
/// multi-line input (so a string or comment opened there is known);
/// `cursor` is a byte offset in `line`, where a bracket's partner is shown,
/// unless `brackets` is false (the final refresh when the line is taken).
pub fn highlight(pending: &str, line: &str, cursor: usize, brackets: bool) -> String {
    if pending.is_empty() && line.trim_start().starts_with('.') {
        return command_line(line);
    }
    let offset = if pending.is_empty() { 0 } else { pending.len() + 1 };
    let text = if pending.is_empty() { line.to_string() } else { format!("{pending}\n{line}") };
    let toks = lex(&text);
    let partner = if brackets { matching_bracket(&toks, offset + cursor) } else { None };
    let mut out = String::with_capacity(line.len() * 2);
    let mut prev_word: Option<&str> = None;
    for t in &toks {
        let style = style_of(t, prev_word);
        if t.significant() {
            prev_word = (t.kind == Kind::Word).then_some(t.text);
        }
        if t.end <= offset {
            continue;
        }
        // the part of the token on this line
        let from = t.start.max(offset);
        let piece = &text[from..t.end];
        let style = if partner.is_some_and(|p| p == t.start) { Some(BRACKET) } else { style };
        match style {
            Some(s) => {
                out.push_str(s);
                out.push_str(piece);
                out.push_str(RESET);
            }
            None => out.push_str(piece),
        }
    }
    out
}

fn style_of(t: &Token<'_>, prev_word: Option<&str>) -> Option<&'static str> {
    match t.kind {
        Kind::Word => {
            let w = t.text;
            if w.eq_ignore_ascii_case("improvement")
                && prev_word.is_some_and(|p| p.eq_ignore_ascii_case("requires"))
            {
                return Some(grade_colour(Grade::RequiresImprovement));
            }
            if w.eq_ignore_ascii_case("requires") {
                return Some(grade_colour(Grade::RequiresImprovement));
            }
            if let Some(g) = Grade::parse(w) {
                return Some(grade_colour(g));
            }
            if is_keyword(w) {
                return Some(KEYWORD);
            }
            if SourceKind::from_name(w).is_some() {
                return Some(SOURCE);
            }
            None
        }
        Kind::Str { .. } => Some(STRING),
        Kind::Number => Some(NUMBER),
        Kind::Param => Some(PARAM),
        Kind::Comment => Some(COMMENT),
        Kind::Punct | Kind::Space => None,
    }
}

/// A dot-command line: the command highlighted, the rest as typed.
fn command_line(line: &str) -> String {
    let start = line.len() - line.trim_start().len();
    let end = line[start..].find(char::is_whitespace).map_or(line.len(), |i| start + i);
    format!("{}{COMMAND}{}{RESET}{}", &line[..start], &line[start..end], &line[end..])
}

/// The byte offset of the bracket matching the one at `cursor` (or just
/// before it, as when it was just typed), skipping brackets in strings
/// and comments.
pub fn matching_bracket(toks: &[Token<'_>], cursor: usize) -> Option<usize> {
    let brackets: Vec<&Token<'_>> = toks.iter().filter(|t| t.is_punct("(") || t.is_punct(")")).collect();
    let at = brackets
        .iter()
        .position(|t| t.start == cursor)
        .or_else(|| brackets.iter().position(|t| t.end == cursor))?;
    let mut depth = 0i32;
    if brackets[at].text == "(" {
        for t in &brackets[at..] {
            depth += if t.text == "(" { 1 } else { -1 };
            if depth == 0 {
                return Some(t.start);
            }
        }
    } else {
        for t in brackets[..=at].iter().rev() {
            depth += if t.text == ")" { 1 } else { -1 };
            if depth == 0 {
                return Some(t.start);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_colour_is_added() {
        for (pending, line) in [
            ("", "forces where area(\"sex offenders\") = inadequate -- note"),
            ("forces where (", "region = 'Eastern') and grade >= 2024-03-13 and $x"),
            ("forces where area(\"sex", "offenders\")"),
            ("", "é (∑) \"unclosed"),
            ("", ".format csv"),
            ("", ""),
        ] {
            for cursor in 0..=line.len() {
                if line.is_char_boundary(cursor) {
                    assert_eq!(peelql::output::strip_ansi(&highlight(pending, line, cursor, true)), line);
                }
            }
        }
    }

    #[test]
    fn grade_words_take_their_colour() {
        let out = highlight("", "grade = requires improvement or grade = inadequate or good", 0, false);
        let ri = grade_colour(Grade::RequiresImprovement);
        assert!(out.contains(&format!("{ri}requires{RESET}")), "{out:?}");
        assert!(out.contains(&format!("{ri}improvement{RESET}")), "{out:?}");
        assert!(out.contains(&format!("{}inadequate{RESET}", grade_colour(Grade::Inadequate))), "{out:?}");
        assert!(out.contains(&format!("{}good{RESET}", grade_colour(Grade::Good))), "{out:?}");
        // `improvement` alone is not a grade word
        assert!(!highlight("", "improvement", 0, false).contains('\x1b'));
    }

    #[test]
    fn contextual_words_are_keywords() {
        // one list with completion's (peelql::syntax::parser::is_keyword)
        let out = highlight(
            "",
            "grades in frs 2023 select count(distinct force) per region, count(grade) overall",
            0,
            false,
        );
        for kw in ["in", "frs", "select", "distinct", "per", "overall"] {
            assert!(out.contains(&format!("{KEYWORD}{kw}{RESET}")), "{kw}: {out:?}");
        }
        let out = highlight("", "forces in fire 2021 where score between 1 and 3", 0, false);
        for kw in ["fire", "between"] {
            assert!(out.contains(&format!("{KEYWORD}{kw}{RESET}")), "{kw}: {out:?}");
        }
        // a column is not a keyword
        assert!(!highlight("", "region", 0, false).contains('\x1b'));
    }

    #[test]
    fn keywords_strings_numbers() {
        let out = highlight("", "forces in peel 2021 where name ~ \"york\" limit 5", 0, false);
        assert!(out.contains(&format!("{SOURCE}forces{RESET}")), "{out:?}");
        for kw in ["in", "peel", "where", "limit"] {
            assert!(out.contains(&format!("{KEYWORD}{kw}{RESET}")), "{kw}: {out:?}");
        }
        assert!(out.contains(&format!("{STRING}\"york\"{RESET}")), "{out:?}");
        assert!(out.contains(&format!("{NUMBER}2021{RESET}")), "{out:?}");
        assert!(out.contains(&format!("{NUMBER}5{RESET}")), "{out:?}");
        // a column is left alone
        assert!(out.contains(" name "), "{out:?}");
    }

    #[test]
    fn a_string_opened_on_an_earlier_line() {
        let out = highlight("forces where area(\"sex", "offenders\") = good", 0, false);
        assert!(out.starts_with(&format!("{STRING}offenders\"{RESET}")), "{out:?}");
    }

    #[test]
    fn matching_brackets() {
        let line = "forces where (area(\"x\") = good)";
        let toks = lex(line);
        let open = line.find('(').unwrap();
        let close = line.rfind(')').unwrap();
        assert_eq!(matching_bracket(&toks, open), Some(close));
        assert_eq!(matching_bracket(&toks, close), Some(open));
        // just after a bracket
        assert_eq!(matching_bracket(&toks, close + 1), Some(open));
        // the inner pair
        let inner = open + 5;
        assert_eq!(matching_bracket(&toks, inner), Some(line.find("\")").unwrap() + 1));
        // brackets in strings do not count
        let s = "x in (\")\")";
        assert_eq!(matching_bracket(&lex(s), 5), Some(s.len() - 1));
        // unmatched
        assert_eq!(matching_bracket(&lex("(("), 0), None);
        assert_eq!(matching_bracket(&lex("abc"), 1), None);
        let out = highlight("", line, close, true);
        assert!(out.contains(&format!("{BRACKET}({RESET}")), "{out:?}");
        let out = highlight("", line, close, false);
        assert!(!out.contains(BRACKET), "{out:?}");
    }

    #[test]
    fn commands() {
        assert_eq!(highlight("", ".format csv", 0, true), format!("{COMMAND}.format{RESET} csv"));
        // a line starting with `.` inside a multi-line input is not a command
        assert!(!highlight("forces where", ".5", 0, true).contains(COMMAND));
    }
}
