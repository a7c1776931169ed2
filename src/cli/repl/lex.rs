//! A forgiving tokenizer for text being typed: completion and highlighting
//! both need the tokens of a line that is usually not a valid statement
//! yet (an open string, half a word), so this never fails. It follows the
//! grammar's token rules (`grammar/peelql.ebnf`) closely enough to know
//! where strings, comments, words and numbers are; the real parser decides
//! everything else.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A word: a keyword, a source, a column or a function name.
    Word,
    /// A quoted string; `closed` is false when the text ends inside it.
    Str {
        /// The closing quote was found.
        closed: bool,
    },
    /// A number, a date or a cycle (`3`, `2.5`, `2024-03-13`, `2021/22`).
    Number,
    /// A `$name` parameter.
    Param,
    /// Punctuation or an operator: `(`, `,`, `;`, `=`, `<=`, `!~`…
    Punct,
    /// A `--` comment, to the end of the line.
    Comment,
    /// Spaces and newlines.
    Space,
}

/// A token and where it is (byte offsets into the text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// What it is.
    pub kind: Kind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The text.
    pub text: &'a str,
}

impl Token<'_> {
    /// Neither space nor comment.
    pub fn significant(&self) -> bool {
        !matches!(self.kind, Kind::Space | Kind::Comment)
    }

    /// The punctuation `p`.
    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }

    /// The word in lower case, or the punctuation as it is.
    pub fn key(&self) -> String {
        self.text.to_ascii_lowercase()
    }
}

const TWO_CHAR_OPS: [&str; 6] = ["!=", "<>", "<=", ">=", "!~", "=="];

/// Splits `src` into tokens covering every byte, in order.
pub fn lex(src: &str) -> Vec<Token<'_>> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < src.len() {
        let c = src[i..].chars().next().unwrap_or(' ');
        let start = i;
        let kind = if c.is_whitespace() {
            i += c.len_utf8();
            while let Some(n) = src[i..].chars().next().filter(|n| n.is_whitespace()) {
                i += n.len_utf8();
            }
            Kind::Space
        } else if src[i..].starts_with("--") {
            i = src[i..].find('\n').map_or(src.len(), |n| i + n);
            Kind::Comment
        } else if c == '"' || c == '\'' {
            i += 1;
            let mut closed = false;
            while i < bytes.len() {
                if bytes[i] == b'\\' {
                    i = (i + 2).min(bytes.len());
                } else if bytes[i] == c as u8 {
                    i += 1;
                    closed = true;
                    break;
                } else {
                    i += 1;
                }
            }
            // never split a character
            while !src.is_char_boundary(i) {
                i += 1;
            }
            Kind::Str { closed }
        } else if c.is_ascii_digit() {
            i += 1;
            while i < bytes.len() {
                let b = bytes[i];
                let next_digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                if b.is_ascii_digit() || (matches!(b, b'.' | b'-' | b'/') && next_digit) {
                    i += 1;
                } else {
                    break;
                }
            }
            Kind::Number
        } else if c.is_ascii_alphabetic() || c == '_' {
            i += word_len(&src[i..]);
            Kind::Word
        } else if c == '$' {
            i += 1 + word_len(&src[i + 1..]);
            Kind::Param
        } else {
            i += if TWO_CHAR_OPS.iter().any(|op| src[i..].starts_with(op)) { 2 } else { c.len_utf8() };
            Kind::Punct
        };
        out.push(Token { kind, start, end: i, text: &src[start..i] });
    }
    out
}

fn word_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, &str)> {
        lex(src).into_iter().filter(Token::significant).map(|t| (t.kind, t.text)).collect()
    }

    #[test]
    fn tokens_cover_the_text() {
        for src in [
            "forces where area(\"sex offenders\") = inadequate;",
            "grades in peel 2021/22 where published >= 2024-03-13 -- note\n select $x, 'it\\'s'",
            "é ∑ \"unclosed é",
            "",
            "a<=b!=c<>d!~e",
        ] {
            let toks = lex(src);
            let joined: String = toks.iter().map(|t| t.text).collect();
            assert_eq!(joined, src);
            for w in toks.windows(2) {
                assert_eq!(w[0].end, w[1].start);
            }
        }
    }

    #[test]
    fn kinds_of_tokens() {
        assert_eq!(
            kinds("forces where area(\"sex\") >= 2.5"),
            vec![
                (Kind::Word, "forces"),
                (Kind::Word, "where"),
                (Kind::Word, "area"),
                (Kind::Punct, "("),
                (Kind::Str { closed: true }, "\"sex\""),
                (Kind::Punct, ")"),
                (Kind::Punct, ">="),
                (Kind::Number, "2.5"),
            ]
        );
        assert_eq!(kinds("in 2021/22"), vec![(Kind::Word, "in"), (Kind::Number, "2021/22")]);
        assert_eq!(kinds("2024-03-13"), vec![(Kind::Number, "2024-03-13")]);
        assert_eq!(kinds("$force"), vec![(Kind::Param, "$force")]);
        assert_eq!(
            kinds("area(\"sex"),
            vec![(Kind::Word, "area"), (Kind::Punct, "("), (Kind::Str { closed: false }, "\"sex")]
        );
        assert_eq!(kinds("'a\\'b'"), vec![(Kind::Str { closed: true }, "'a\\'b'")]);
        assert_eq!(kinds("x -- it's\ny"), vec![(Kind::Word, "x"), (Kind::Word, "y")]);
    }
}
