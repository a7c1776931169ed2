//! Is the text a finished script, or does it stop in the middle of a
//! statement? An interactive prompt asks this when Enter is pressed, to
//! choose between running the input and reading another line.

use super::{parse_statement_at, split_statements};

/// The error codes that mean "the text ended before the statement did":
/// something more was expected at the very end, or a string was never
/// closed.
pub const INCOMPLETE_CODES: [&str; 2] =
    ["peelql::parse::unexpected_end", "peelql::parse::unterminated_string"];

/// True when the last statement of `src` is cut short: it ends inside a
/// string or an open bracket, or after a word that needs more (`where`,
/// `and`, `order`, `in`, `explain`…), so reading more text could finish
/// it.
///
/// Only the last statement (after the last top-level `;`) is looked at:
/// a mistake in an earlier one does not make the text incomplete, and an
/// error that is not about the end of the text (an unknown word, a stray
/// bracket) does not either — that input is finished, and running it shows
/// the error. Blank text and text ending in `;` are complete.
///
/// ```
/// use peelql::syntax::parser::is_incomplete;
///
/// assert!(is_incomplete("forces where"));
/// assert!(is_incomplete("forces where area(\"sex"));
/// assert!(is_incomplete("forces where (region = \"Eastern\""));
/// assert!(!is_incomplete("forces where area(\"responding\") = inadequate"));
/// assert!(!is_incomplete("forces where )"));
/// ```
pub fn is_incomplete(src: &str) -> bool {
    let Some(last) = split_statements(src).last().copied() else {
        return false;
    };
    match parse_statement_at(src, last) {
        Ok(_) => false,
        Err(e) => INCOMPLETE_CODES.contains(&e.code_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::is_incomplete;

    #[test]
    fn complete_statements() {
        for src in [
            "",
            "   ",
            ";",
            "-- a comment only",
            "forces",
            "forces;",
            "forces where area(\"responding\") = inadequate",
            "forces where (region = \"Eastern\"\n or region = \"Wales\")",
            "forces where region = 'it''s'",
            "grades group by grade select grade, count()",
            "forces -- it's a comment with a quote",
            "show forces",
            "explain forces where any area = inadequate",
            "let x = forces where any area = inadequate; x",
            "forces where; forces",
        ] {
            assert!(!is_incomplete(src), "{src:?} should be complete");
        }
    }

    #[test]
    fn statements_cut_short() {
        for src in [
            "forces where",
            "forces where area(\"sex",
            "forces where area('sex",
            "forces where area(",
            "forces where (region = \"Eastern\"",
            "forces where region = \"Eastern\" and",
            "forces where region = \"Eastern\" or\n",
            "forces where region in (\"Eastern\",",
            "grades group",
            "grades group by",
            "forces order by",
            "forces in",
            "explain",
            "show",
            "let x =",
            "forces where not",
            "forces; forces where",
            "forces where region =   -- more to come\n",
        ] {
            assert!(is_incomplete(src), "{src:?} should be incomplete");
        }
    }

    #[test]
    fn errors_that_are_not_about_the_end_are_complete() {
        for src in [
            "forces where )",
            "forces wher",
            "forces where region = = 3",
            "forces limit x",
            // an earlier statement's mistake does not hold the input open
            "forces where; forces",
        ] {
            assert!(!is_incomplete(src), "{src:?} should be complete (an error to show)");
        }
    }
}
