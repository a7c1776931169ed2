//! `.help` and `.help TOPIC`: the language at a glance, with examples.
//! The source topics list the columns from the library's own catalogue of
//! columns, so they cannot drift from what the resolver accepts.

use super::commands::COMMANDS;
use super::paging::wrap;
use peelql::output::Format;
use peelql::semantic::{SourceKind, columns};
use peelql::suggest::{did_you_mean, suggest};

/// A help topic.
pub struct Topic {
    /// What follows `.help`.
    pub name: &'static str,
}

/// The topics, in the order `.help` lists them.
pub const TOPICS: &[Topic] = &[
    Topic { name: "queries" },
    Topic { name: "sources" },
    Topic { name: "forces" },
    Topic { name: "inspections" },
    Topic { name: "grades" },
    Topic { name: "areas" },
    Topic { name: "programmes" },
    Topic { name: "conditions" },
    Topic { name: "area" },
    Topic { name: "functions" },
    Topic { name: "statements" },
    Topic { name: "formats" },
    Topic { name: "commands" },
    Topic { name: "keys" },
];

/// Queries shown by `.help`; every one runs on the bundled data (tested).
pub const EXAMPLES: &[&str] = &[
    r#"forces where area("sex offenders") = inadequate"#,
    r#"grades where force = "cambs""#,
    r#"forces where area("responding") < adequate and region = "Eastern""#,
    r#"grades where area("investigating") group by grade select grade, count()"#,
    "forces where count(area = inadequate) >= 2",
    r#"forces where area("responding") < previous(area("responding"))"#,
    "forces where graded >= 8 order by score desc limit 5 select name, score",
    "forces in peel 2021 where any area = inadequate",
    r#"explain forces where area("999") at most requires improvement"#,
];

/// The text of `.help` (no topic) or `.help TOPIC`; an unknown topic is
/// an error naming the topics.
pub fn help(topic: Option<&str>) -> Result<String, String> {
    let Some(topic) = topic.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(overview());
    };
    let key = topic.trim_start_matches('.').to_ascii_lowercase();
    if let Some(kind) =
        SourceKind::from_name(&key).or_else(|| (key == "programs").then_some(SourceKind::Programmes))
    {
        return Ok(source_help(kind));
    }
    let text = match key.as_str() {
        "queries" | "query" | "clauses" => QUERIES.to_string(),
        "sources" | "source" => sources(),
        "conditions" | "where" | "condition" => CONDITIONS.to_string(),
        "area" => AREA.to_string(),
        "functions" | "function" => FUNCTIONS_HELP.to_string(),
        "statements" | "let" | "explain" | "show" => STATEMENTS.to_string(),
        "commands" | "command" | "dot" => commands(),
        "keys" | "keyboard" | "history" => KEYS.to_string(),
        "formats" | "format" | "save" => formats(),
        _ => {
            let names = TOPICS.iter().map(|t| t.name);
            let hint = did_you_mean(&suggest(topic, names))
                .unwrap_or_else(|| format!("the topics are: {}", topic_names()));
            return Err(format!("there is no help topic `{topic}`; {hint}"));
        }
    };
    Ok(text)
}

fn formats() -> String {
    let mut s = wrap(
        &format!(
            "Output formats: {}. Change with `.format FMT`; CSV and JSON are for pasting and are never cut short.",
            Format::names().join(", ")
        ),
        80,
    );
    s.push_str(
        "\n\
         \x20 .save FILE           write the last result to FILE, the format from its extension\n\
         \x20                      (.csv .json .ndjson .md .html .svg .txt)\n\
         \x20 .save FILE FORMAT    … in that format: `.save cambs.html html`\n\
         \n\
         Pictures (grid, html, svg) draw grades; `.format html` then `.save page.html` writes a page\n\
         to open in a browser instead of pouring it into the terminal.\n",
    );
    s
}

fn topic_names() -> String {
    TOPICS.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
}

fn overview() -> String {
    let mut s = String::from(
        "PeelQL asks questions of HMICFRS PEEL police inspection grades.\n\
         \n\
         A query starts from a source, may pick a programme, then narrows and shapes:\n\
         \n\
         \x20 SOURCE [in PROGRAMME] [where CONDITION] [group by …] [select …] [order by … [desc]] [limit N]\n\
         \n\
         \x20 sources     forces, inspections, grades, areas, programmes\n\
         \x20 programme   in latest (the default), in all, in peel 2021, in \"PEEL 2023-25\"\n\
         \x20 grades      outstanding > good > adequate > requires improvement > inadequate\n\
         \n\
         Examples:\n",
    );
    for e in EXAMPLES {
        s.push_str("  ");
        s.push_str(e);
        s.push('\n');
    }
    s.push_str(
        "\n\
         Enter runs the input when it is whole; an open bracket or quote, or a line ending\n\
         in `where`, `and`, `or`…, goes on to the next line (`...>`). `;` separates statements.\n\
         Tab completes sources, columns, grades, force names, programmes, and the areas\n\
         inside area(\"…\") — any word of the name will do.\n\
         `.save FILE` writes the last result to a file (`.help formats`).\n\
         \n",
    );
    s.push_str(&wrap(&format!("More: .help TOPIC — {}", topic_names()), 80));
    s.push_str(&wrap(
        &format!("Commands: {}", COMMANDS.iter().map(|c| c.name).collect::<Vec<_>>().join(" ")),
        80,
    ));
    s
}

fn sources() -> String {
    let mut s = String::from("Sources (a query starts from one of them):\n");
    for k in SourceKind::ALL {
        s.push_str(&format!("  {:<12} {}\n", k.name(), k.describe()));
    }
    s.push_str("\n`.help SOURCE` lists its columns; a name bound by `let` is a source too.\n");
    s
}

fn source_help(kind: SourceKind) -> String {
    let mut s = format!("{}: {}\n\nColumns:\n", kind.name(), kind.describe());
    for c in columns::listed(kind) {
        let ty = c.ty.word();
        let names = c.names.join(", ");
        // the meaning wrapped beside the name and type
        let doc = wrap(c.doc, 100 - 33);
        let doc = doc.trim_end().replace('\n', &format!("\n{:33}", ""));
        s.push_str(&format!("  {names:<22} {ty:<7} {doc}\n"));
    }
    match kind {
        SourceKind::Forces => s.push_str(
            "\nWith no `select`, forces also shows a column per area of its programme.\n\
             Compare a force with any of its names: name = \"cambs\".\n",
        ),
        SourceKind::Grades => s.push_str(
            "\nGrade words, best first: outstanding, good, adequate, requires improvement\n\
             (also requires_improvement, ri), inadequate. Better is greater:\n\
             grade at least good, grade worse than adequate, grade <= requires improvement.\n\
             Programmes before 2021/22 have four tiers (no adequate).\n",
        ),
        SourceKind::Programmes => s.push_str(
            "\nPick the programme a query covers with `in`: in latest (each force's latest\n\
             graded programme, the default), in all, in peel 2021, in 2021/22, in \"PEEL 2023-25\".\n",
        ),
        _ => {}
    }
    s
}

fn commands() -> String {
    let mut s = String::from("Commands (a line starting with `.`):\n");
    for c in COMMANDS {
        let head = if c.args.is_empty() { c.name.to_string() } else { format!("{} {}", c.name, c.args) };
        s.push_str(&format!("  {head:<34} {}\n", c.about));
    }
    s
}

const QUERIES: &str = "\
A query: SOURCE [in PROGRAMME] then clauses, each at most once, in any order.

  forces in peel 2021          the source and, optionally, the programme
  where CONDITION              keep the rows where it holds (.help conditions)
  group by EXPR, …             one row per distinct value
  select EXPR [as NAME], …     the columns to show; with group by, count(), min(), max(), avg()
  select distinct EXPR, …      the columns to show, each row of them once
  order by EXPR [asc|desc], …  sort (`sort by` also works); a name from `as` sorts by that column
  limit N                      the first N rows

  grades where area(\"investigating\") group by grade select grade, count()
  forces order by score desc limit 5 select name, score
";

const CONDITIONS: &str = "\
Conditions (after `where`), joined with and, or, not and brackets:

  region = \"Eastern\"                 = != <> < <= > >=, and `is` / `is not`
  area(\"responding\") at least good   grades read as English: at least, at most,
  grade worse than adequate          better than, worse than (better is greater)
  region in (\"Eastern\", \"London\")    a list; `not in` for the rest
  published is null                  missing values; `is not null`
  name ~ \"york\"                      contains, any case; `!~` does not
  any area = inadequate              some area of the inspection; `every area` for all
  count(area = inadequate) >= 2      how many areas of the inspection pass the test
  area(\"responding\") < previous(area(\"responding\"))   worse than last time

Text compares ignoring case; a force compares with any of its names (force = \"cambs\"),
never with a region's (\"London\" is region = \"London\").

A query that runs but may not mean what it says (two constants compared, a
force named by part of its name) prints a warning, marked !, under its result.
";

const AREA: &str = "\
area(\"…\") is a force's grade in an area, found by name or by any word for it:

  area(\"Managing offenders\")   an area's exact name
  area(\"sex offenders\")        a theme's word: \"999\", \"rso\", \"safeguarding\", \"vetting\"…
  area(\"investigat\")           a piece of an area's name or question, if only one area has it

A theme links the same concern across programmes, so area(\"offenders\") is
\"Managing offenders\" in 2023-25 and \"Managing offenders and suspects\" in 2021/22.
A name matching several areas is an error listing them. In the prompt, Tab inside
area(\" offers the areas: `show areas`, `show themes` and `.areas` list them all.
";

const FUNCTIONS_HELP: &str = "\
Functions:
  area(\"…\")            the grade in an area (.help area)
  previous(X)          X at the force's previous inspection; X is area(\"…\"), grade or score
  change(X)            X now minus X then: grade steps, or score
  year(DATE)           the year of a date: year(published) = 2024
  round(X, N)          X to N decimal places (0-6): round(score - 3, 1); + - * / do arithmetic
  count(area = G)      areas of the inspection passing a test; count() counts rows with group by
  min(X) max(X) avg(X) over the rows of a group (select with group by)
  percent(TEST)        the percentage of a group's rows passing a test: percent(grade = inadequate)
  AGG(X) per KEY       over the rows with the row's KEY, on each row: avg(score) per region
  AGG(X) overall       over every row of the stage: score > avg(score) overall
  rank(KEY [desc], …)  the row's place, ties sharing it (1, 2, 2, 4); rank(…) per KEY
";

const STATEMENTS: &str = "\
Statements, separated by `;`:
  QUERY                        rows
  let NAME = QUERY             keep the rows under a name, to query again: NAME where …
  explain QUERY                how names resolve and how the query runs
  show forces | programmes | themes | sources | areas [in PROGRAMME] | columns SOURCE
";

const KEYS: &str = "\
Keys:
  Tab          complete: sources, keywords, columns, grades, force names, programmes,
               areas inside area(\"…\") (any word), dot-commands and their arguments
  Right, End   take the dimmed hint (from history or a unique completion)
  Enter        run, when the input is whole; otherwise go on to the next line
  Up, Down     history, kept across runs; a multi-line query comes back whole
  Ctrl-R       search the history
  Ctrl-C       clear the input
  Ctrl-D       on an empty line: leave
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_runs() {
        let engine = peelql::Engine::in_memory().unwrap();
        for e in EXAMPLES {
            engine.query(e).unwrap_or_else(|err| panic!("{e}: {err}"));
        }
        // the whole queries in the topic texts
        for line in QUERIES.lines().filter(|l| l.starts_with("  ") && !l.trim().contains("  ")) {
            engine.query(line.trim()).unwrap_or_else(|err| panic!("{line}: {err}"));
        }
        // each condition, on a source that has what it names
        for line in CONDITIONS.lines().filter(|l| l.starts_with("  ")) {
            let cond = line.trim().split("  ").next().unwrap();
            let ok = ["grades", "forces"].iter().any(|s| engine.query(&format!("{s} where {cond}")).is_ok());
            assert!(ok, "{cond}");
        }
    }

    #[test]
    fn every_topic_has_help() {
        for t in TOPICS {
            let text = help(Some(t.name)).unwrap_or_else(|e| panic!("{}: {e}", t.name));
            assert!(!text.is_empty());
        }
        assert!(help(None).unwrap().contains("Examples"));
        assert!(help(None).unwrap().contains(".save FILE"));
        assert!(help(Some("formats")).unwrap().contains(".save FILE FORMAT"));
        assert!(help(Some("  ")).unwrap().contains("Examples"));
    }

    #[test]
    fn help_fits_the_screen() {
        for topic in std::iter::once(None).chain(TOPICS.iter().map(|t| Some(t.name))) {
            let text = help(topic).unwrap();
            for line in text.lines() {
                assert!(line.chars().count() <= 100, "{topic:?}: {line}");
            }
        }
    }

    #[test]
    fn source_topics_list_columns() {
        let g = help(Some("grades")).unwrap();
        assert!(g.contains("basis") && g.contains("requires improvement"), "{g}");
        let p = help(Some("PROGRAMMES")).unwrap();
        assert!(p.contains("scale") && p.contains("in latest"), "{p}");
    }

    #[test]
    fn unknown_topic_suggests() {
        let e = help(Some("condtions")).unwrap_err();
        assert!(e.contains("conditions"), "{e}");
        let e = help(Some("zzz")).unwrap_err();
        assert!(e.contains("queries") && e.contains("formats"), "{e}");
    }
}
