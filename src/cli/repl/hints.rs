//! Hints: dimmed text after the cursor that Right or End takes. The rest
//! of the newest history entry that starts with what is typed, or else the
//! rest of the only completion.

use super::completion::{Words, complete_at_most};

/// The hint for `text` with the cursor at its end. `history` finds the
/// newest history entry starting with a prefix. A hint never spans lines:
/// for a multi-line history entry it stops at the end of the line.
pub fn hint(words: &Words, text: &str, history: impl Fn(&str) -> Option<String>) -> Option<String> {
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..].trim().is_empty() {
        return None;
    }
    if let Some(entry) = history(text) {
        if entry.len() > text.len() && entry.starts_with(text) {
            let rest = &entry[text.len()..];
            let rest = rest.split('\n').next().unwrap_or("");
            if !rest.trim().is_empty() {
                return Some(rest.to_string());
            }
        }
    }
    // two are enough to know there is no single completion to hint
    let c = complete_at_most(words, text, text.len(), 2);
    let [only] = c.candidates.as_slice() else { return None };
    let typed = &text[c.start..];
    let r = &only.replacement;
    if r.len() <= typed.len()
        || !r.is_char_boundary(typed.len())
        || !r[..typed.len()].eq_ignore_ascii_case(typed)
    {
        return None;
    }
    let rest = &r[typed.len()..];
    (!rest.trim().is_empty()).then(|| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn words() -> &'static Words {
        static W: OnceLock<Words> = OnceLock::new();
        W.get_or_init(|| Words::from_dataset(&peelql::Engine::in_memory().unwrap().dataset()))
    }

    fn no_history(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn the_rest_of_a_unique_completion() {
        assert_eq!(hint(words(), "forces wh", no_history).as_deref(), Some("ere "));
        assert_eq!(
            hint(words(), "forces where area(\"offenders\") = ina", no_history).as_deref(),
            Some("dequate")
        );
        assert_eq!(hint(words(), "forces where area(\"sex", no_history).as_deref(), Some(" offenders\")"));
        // several candidates: no hint
        assert_eq!(hint(words(), "forces where area(\"offenders\") = ", no_history), None);
        // nothing typed on the line: no hint
        assert_eq!(hint(words(), "", no_history), None);
        assert_eq!(hint(words(), "forces where\n", no_history), None);
        // a completion that does not extend what is typed (matched on a later word)
        assert_eq!(hint(words(), "grades where force = \"midlands", no_history), None);
    }

    #[test]
    fn history_first() {
        let history = |prefix: &str| {
            ["forces where area(\"responding\") = inadequate"]
                .iter()
                .find(|e| e.starts_with(prefix))
                .map(|e| e.to_string())
        };
        assert_eq!(
            hint(words(), "forces wh", history).as_deref(),
            Some("ere area(\"responding\") = inadequate")
        );
        // an entry equal to the text gives nothing more
        let same = |_: &str| Some("forces".to_string());
        assert_eq!(hint(words(), "forces", same), None);
    }

    #[test]
    fn a_multi_line_entry_hints_one_line() {
        let history = |_: &str| Some("forces where (\nregion = \"Eastern\")".to_string());
        assert_eq!(hint(words(), "forces wh", history).as_deref(), Some("ere ("));
        assert_eq!(hint(words(), "forces where (\nreg", history).as_deref(), Some("ion = \"Eastern\")"));
    }
}
