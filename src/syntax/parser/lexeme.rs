//! Tokens: whitespace and comments, keywords, identifiers, literals.
//!
//! Every token parser skips the whitespace and comments *after* it, so a
//! parser always starts on a token.

use super::{PResult, ParseFail, Src, fail, offset};
use crate::syntax::Span;
use crate::value::{Date, Grade};
use nom::Parser;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, digit1};
use nom::combinator::{opt, recognize};

/// Words that cannot be identifiers.
pub const RESERVED: &[&str] = &[
    "and",
    "or",
    "then",
    "not",
    "in",
    "is",
    "null",
    "true",
    "false",
    "as",
    "asc",
    "desc",
    "where",
    "group",
    "by",
    "select",
    "order",
    "sort",
    "limit",
    "let",
    "explain",
    "show",
    "any",
    "every",
    "outstanding",
    "good",
    "adequate",
    "requires",
    "requires_improvement",
    "ri",
    "inadequate",
];

/// True for a reserved word (any case).
pub fn is_reserved(word: &str) -> bool {
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(word))
}

/// Words the grammar gives a meaning in some places that stay names
/// elsewhere: `at least`, `better than`, `count(distinct …)`, `per`,
/// `overall`, `in all`, `in latest`, `in peel 2023`, `in frs 2021`…
/// The prompt highlights and completes these with [`RESERVED`] (the
/// function `area(…)`, the grade word `improvement` and the function
/// `count` are not among them: they are drawn as what they are).
pub const CONTEXTUAL: &[&str] = &[
    "all", "at", "between", "better", "distinct", "fire", "frs", "ilike", "latest", "least", "like", "most",
    "of", "overall", "peel", "per", "than", "worse",
];

/// True for a word of the grammar (any case): reserved, or one of the
/// [`CONTEXTUAL`] words.
pub fn is_keyword(word: &str) -> bool {
    is_reserved(word) || CONTEXTUAL.iter().any(|r| r.eq_ignore_ascii_case(word))
}

/// Letters, digits and `_`.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Skips whitespace and `--` comments.
pub fn ws(mut i: Src<'_>) -> PResult<'_, ()> {
    loop {
        // U+FEFF: the byte-order mark Windows editors put before a script
        let (rest, _) = take_while(|c: char| c.is_whitespace() || c == '\u{feff}').parse(i)?;
        i = rest;
        if i.fragment().starts_with("--") {
            let (rest, _) = take_while(|c: char| c != '\n').parse(i)?;
            i = rest;
        } else {
            return Ok((i, ()));
        }
    }
}

/// The next word at `i` (letters, digits, `_`), without consuming it.
pub fn peek_word(i: Src<'_>) -> &str {
    let s = *i.fragment();
    let end = s.find(|c: char| !is_word_char(c)).unwrap_or(s.len());
    &s[..end]
}

/// True when the next token is the keyword `word`.
pub fn at_keyword(i: Src<'_>, word: &str) -> bool {
    peek_word(i).eq_ignore_ascii_case(word)
}

/// The keyword `word` (case-insensitive, whole word), with its span.
pub fn keyword<'a>(word: &'static str) -> impl Fn(Src<'a>) -> PResult<'a, Span> {
    move |i: Src<'a>| {
        if at_keyword(i, word) {
            let start = offset(i);
            let (rest, _) = nom::bytes::complete::take(word.len()).parse(i)?;
            let span = Span::new(start, offset(rest));
            let (rest, _) = ws(rest)?;
            Ok((rest, span))
        } else {
            fail(i, format!("`{word}`"))
        }
    }
}

/// A punctuation token such as `(`, `,`, `<=`.
pub fn symbol<'a>(sym: &'static str) -> impl Fn(Src<'a>) -> PResult<'a, Span> {
    move |i: Src<'a>| {
        let start = offset(i);
        match tag::<_, _, ParseFail>(sym).parse(i) {
            Ok((rest, _)) => {
                let span = Span::new(start, offset(rest));
                let (rest, _) = ws(rest)?;
                Ok((rest, span))
            }
            Err(_) => fail(i, format!("`{sym}`")),
        }
    }
}

/// An identifier that is not a reserved word.
pub fn identifier(i: Src<'_>) -> PResult<'_, crate::syntax::Ident> {
    let start = offset(i);
    let word = peek_word(i);
    let starts_ok = word.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !starts_ok || is_reserved(word) {
        return fail(i, "a name");
    }
    let (rest, w) = take_while1(is_word_char).parse(i)?;
    let ident = crate::syntax::Ident::new(*w.fragment(), Span::new(start, offset(rest)));
    let (rest, _) = ws(rest)?;
    Ok((rest, ident))
}

/// Any word, reserved or not (used where the grammar allows a keyword to
/// act as a name, e.g. `show areas`).
pub fn any_word(i: Src<'_>) -> PResult<'_, crate::syntax::Ident> {
    let start = offset(i);
    let word = peek_word(i);
    if word.is_empty() || !word.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return fail(i, "a name");
    }
    let (rest, w) = take_while1(is_word_char).parse(i)?;
    let ident = crate::syntax::Ident::new(*w.fragment(), Span::new(start, offset(rest)));
    let (rest, _) = ws(rest)?;
    Ok((rest, ident))
}

/// A string literal in double or single quotes, with `\"`, `\'`, `\\`,
/// `\n`, `\t` escapes (any other escape is an error). An unterminated string is a hard error pointing at
/// its opening quote.
pub fn string(i: Src<'_>) -> PResult<'_, (String, Span)> {
    let start = offset(i);
    let quote = match i.fragment().chars().next() {
        Some(q @ ('"' | '\'')) => q,
        _ => return fail(i, "a string"),
    };
    let body = &i.fragment()[1..];
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((pos, c)) = chars.next() {
        if c == quote {
            // a byte count: `take` would count characters
            let consumed = 1 + pos + c.len_utf8();
            let (rest, _) = nom::Input::take_split(&i, consumed);
            let span = Span::new(start, offset(rest));
            let (rest, _) = ws(rest)?;
            return Ok((rest, (out, span)));
        }
        if c == '\\' {
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, e @ ('"' | '\'' | '\\'))) => out.push(e),
                Some((at, other)) => {
                    let esc = start + 1 + at - 1;
                    return Err(nom::Err::Failure(ParseFail::invalid(
                        Span::new(esc, esc + 1 + other.len_utf8()),
                        "unknown escape: write `\\\\` for a backslash",
                    )));
                }
                None => break,
            }
        } else {
            out.push(c);
        }
    }
    Err(nom::Err::Failure(ParseFail::unterminated(Span::new(start, start + 1))))
}

/// A `$name` parameter.
pub fn parameter(i: Src<'_>) -> PResult<'_, crate::syntax::Ident> {
    let start = offset(i);
    let (rest, _) = match char::<_, ParseFail>('$').parse(i) {
        Ok(ok) => ok,
        Err(_) => return fail(i, "a `$parameter`"),
    };
    let (rest, w) = match take_while1::<_, _, ParseFail>(is_word_char).parse(rest) {
        Ok(ok) => ok,
        Err(_) => return fail(rest, "a parameter name after `$`"),
    };
    let ident = crate::syntax::Ident::new(*w.fragment(), Span::new(start, offset(rest)));
    let (rest, _) = ws(rest)?;
    Ok((rest, ident))
}

/// A date `YYYY-MM-DD` or `YYYY-MM`.
pub fn date(i: Src<'_>) -> PResult<'_, (Date, Span)> {
    let start = offset(i);
    let mut shape = recognize((digit4, char('-'), digit2, opt((char('-'), digit2))));
    let (rest, text) = match shape.parse(i) {
        Ok(ok) => ok,
        Err(_) => return fail(i, "a date"),
    };
    if rest.fragment().starts_with(|c: char| is_word_char(c) || c == '-') {
        return fail(i, "a date");
    }
    let span = Span::new(start, offset(rest));
    match Date::parse(text.fragment()) {
        Some(d) => {
            let (rest, _) = ws(rest)?;
            Ok((rest, (d, span)))
        }
        None => Err(nom::Err::Failure(ParseFail::invalid(span, "not a real date"))),
    }
}

fn digit4(i: Src<'_>) -> PResult<'_, Src<'_>> {
    recognize((digit, digit, digit, digit)).parse(i)
}

fn digit2(i: Src<'_>) -> PResult<'_, Src<'_>> {
    recognize((digit, digit)).parse(i)
}

fn digit(i: Src<'_>) -> PResult<'_, char> {
    nom::character::complete::satisfy(|c| c.is_ascii_digit()).parse(i)
}

/// A number: `42`, `-1`, `3.5`.
pub fn number(i: Src<'_>) -> PResult<'_, (crate::syntax::Literal, Span)> {
    let start = offset(i);
    let parsed: PResult<'_, Src<'_>> = recognize((opt(char('-')), digit1, opt((char('.'), digit1)))).parse(i);
    let (rest, text) = match parsed {
        Ok(ok) => ok,
        Err(_) => return fail(i, "a number"),
    };
    if rest.fragment().starts_with(is_word_char) {
        return fail(i, "a number");
    }
    let span = Span::new(start, offset(rest));
    if rest.fragment().starts_with('.') && !text.fragment().contains('.') {
        // `3.` — a point with no digits after it
        return Err(nom::Err::Failure(ParseFail::invalid(
            Span::new(start, offset(rest) + 1),
            "a number needs digits after its point: write `3` or `3.5`",
        )));
    }
    let text = *text.fragment();
    let lit = if text.contains('.') {
        match text.parse::<f64>() {
            Ok(f) => crate::syntax::Literal::Decimal(f),
            Err(_) => return Err(nom::Err::Failure(ParseFail::invalid(span, "not a number"))),
        }
    } else {
        match text.parse::<i64>() {
            Ok(n) => crate::syntax::Literal::Int(n),
            Err(_) => {
                return Err(nom::Err::Failure(ParseFail::invalid(span, "number too large")));
            }
        }
    };
    let (rest, _) = ws(rest)?;
    Ok((rest, (lit, span)))
}

/// A grade word: `outstanding`, `good`, `adequate`, `requires improvement`,
/// `requires_improvement`, `ri`, `inadequate`.
pub fn grade(i: Src<'_>) -> PResult<'_, (Grade, Span)> {
    let start = offset(i);
    let word = peek_word(i).to_ascii_lowercase();
    let (grade, rest) = match word.as_str() {
        "requires" => {
            let (rest, _) = keyword("requires")(i)?;
            match keyword("improvement")(rest) {
                Ok((rest, _)) => (Grade::RequiresImprovement, rest),
                Err(_) => return fail(rest, "`improvement` (the grade is `requires improvement`)"),
            }
        }
        w => match Grade::parse(w) {
            // only the grade words themselves: `_ri` or `good_` are names
            Some(g) if is_reserved(w) => {
                let (rest, _) = take_while1(is_word_char).parse(i)?;
                (g, rest)
            }
            _ => return fail(i, "a grade"),
        },
    };
    let end = offset(rest);
    let (rest, _) = ws(rest)?;
    // the span ends at the last letter, not after the trailing whitespace
    let trimmed_end = i.fragment()[..end - start].trim_end().len() + start;
    Ok((rest, (grade, Span::new(start, trimmed_end))))
}

/// A programme cycle after `in`: `2021`, `2021-22`, `2021/22`, `2023-25`.
pub fn cycle(i: Src<'_>) -> PResult<'_, (String, Span)> {
    let start = offset(i);
    let mut shape = recognize((digit4, opt((nom::branch::alt((char('-'), char('/'))), digit2, opt(digit2)))));
    let (rest, text) = match shape.parse(i) {
        Ok(ok) => ok,
        Err(_) => return fail(i, "a programme such as `peel 2021` or `latest`"),
    };
    if rest.fragment().starts_with(is_word_char) {
        return fail(i, "a programme such as `peel 2021` or `latest`");
    }
    let span = Span::new(start, offset(rest));
    let (rest, _) = ws(rest)?;
    Ok((rest, (text.fragment().to_string(), span)))
}

#[cfg(test)]
mod keyword_tests {
    use super::*;

    /// The word literals the parser matches: `keyword("w")`,
    /// `at_keyword(i, "w")` and the word-comparison pairs `("at", "least", …)`.
    fn grammar_words() -> Vec<String> {
        let sources = [
            include_str!("expr.rs"),
            include_str!("query.rs"),
            include_str!("mod.rs"),
            include_str!("arith.rs"),
        ];
        let mut words = Vec::new();
        for text in sources {
            for opener in ["keyword(\"", "at_keyword(i, \"", "        (\""] {
                for piece in text.split(opener).skip(1) {
                    let word: String =
                        piece.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                    let rest = &piece[word.len()..];
                    if word.is_empty() || !rest.starts_with('"') {
                        continue;
                    }
                    words.push(word);
                    // the second word of a pair: `("at", "least", BinOp::Ge)`
                    if opener.starts_with(' ') {
                        if let Some(second) = rest.strip_prefix("\", \"") {
                            words.push(second.chars().take_while(|c| c.is_ascii_lowercase()).collect());
                        }
                    }
                }
            }
        }
        words.sort();
        words.dedup();
        words
    }

    #[test]
    fn every_word_of_the_grammar_is_a_keyword_or_a_name() {
        let words = grammar_words();
        for w in ["least", "than", "distinct", "per", "overall", "between", "latest"] {
            assert!(words.iter().any(|g| g == w), "the scan finds `{w}`: {words:?}");
        }
        // drawn as what they are: a function, a grade word
        let names = ["area", "count", "improvement"];
        let missing: Vec<&String> =
            words.iter().filter(|w| !is_keyword(w) && !names.contains(&w.as_str())).collect();
        assert!(missing.is_empty(), "grammar words that are not keywords: {missing:?}");
        for w in ["frs", "fire", "Distinct", "PER", "overall", "select"] {
            assert!(is_keyword(w), "{w}");
        }
        assert!(!is_keyword("area") && !is_keyword("force"));
    }
}
