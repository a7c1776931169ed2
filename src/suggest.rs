//! "Did you mean …?": the closest known names to a misspelt one.

/// Up to three candidates closest to `input`, best first. A candidate is
/// close when its edit distance (Damerau–Levenshtein, case-insensitive) is
/// at most a third of the input's length (at least 1), or when one starts
/// with the other. Duplicates are dropped.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let needle = input.trim().to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    let n = needle.chars().count();
    let limit = (n / 3).max(1);
    let mut scored: Vec<(usize, String)> = Vec::new();
    for cand in candidates {
        let lower = cand.to_lowercase();
        let m = lower.chars().count();
        // lengths that far apart are never close, and the distance costs
        // n × m: a text far longer than any name is not compared at all
        if m + limit < n || (m > n + limit && !lower.starts_with(&needle)) {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&needle, &lower);
        let prefix = needle.len() >= 3 && lower.starts_with(&needle);
        if (distance <= limit || prefix) && !scored.iter().any(|(_, c)| c.eq_ignore_ascii_case(cand)) {
            scored.push((if prefix { distance.min(limit) } else { distance }, cand.to_string()));
        }
    }
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// "did you mean `a`?" / "did you mean `a` or `b`?", or `None`.
pub fn did_you_mean(suggestions: &[String]) -> Option<String> {
    match suggestions {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        [init @ .., last] => Some(format!(
            "did you mean {} or `{last}`?",
            init.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// "did you mean `x`?" for the known names close to `input`; when none is
/// close, `{intro}: a, b, c` — every known name, so the user can pick.
pub fn did_you_mean_or_list<S: AsRef<str>>(input: &str, known: &[S], intro: &str) -> String {
    let names: Vec<&str> = known.iter().map(AsRef::as_ref).collect();
    did_you_mean(&suggest(input, names.iter().copied()))
        .unwrap_or_else(|| format!("{intro}: {}", names.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_text_is_not_compared() {
        let huge = "x".repeat(10_000_000);
        assert!(suggest(&huge, ["Kent Police", "Thames Valley Police"]).is_empty());
    }

    #[test]
    fn close_names_are_suggested() {
        assert_eq!(suggest("inadequat", ["inadequate", "adequate", "good"]), vec!["inadequate", "adequate"]);
        assert_eq!(suggest("sex ofenders", ["sex offenders", "offenders"]), vec!["sex offenders"]);
        assert!(suggest("zzz", ["good"]).is_empty());
        assert_eq!(did_you_mean(&["a".into(), "b".into()]).unwrap(), "did you mean `a` or `b`?");
        assert_eq!(
            did_you_mean_or_list("grdes", &["grades", "forces"], "the sources are"),
            "did you mean `grades`?"
        );
        assert_eq!(
            did_you_mean_or_list("zzz", &["grades", "forces"], "the sources are"),
            "the sources are: grades, forces"
        );
    }
}
