//! Issue 12's "clearer errors": each bad input a user can hand PeelQL, run
//! through the binary as a user would, with its whole message (stderr,
//! plain, the temporary folder written `DIR`) pinned as a snapshot. Review
//! a changed message with `INSTA_UPDATE=always cargo test --test clear_errors`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_peelql");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("peelql runs")
}

/// The error a failing run wrote, with `dir` shown as `DIR`.
fn error(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(!out.status.success(), "{args:?} must fail; stdout: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).replace(&dir.display().to_string(), "DIR")
}

const HEADER: &str = "force,programme,published,area,grade,source_url,basis\n";

fn import_error(name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join(name), bytes).expect("write");
    error(dir.path(), &["--memory", "import", name, "--dry-run"])
}

#[test]
fn a_semicolon_separated_csv_says_which_separator_it_saw() {
    let text =
        HEADER.replace(',', ";") + "kent;peel 2023;2025-06;Managing offenders;good;https://e.org;stated\n";
    insta::assert_snapshot!(import_error("semi.csv", text.as_bytes()));
    let tabs = HEADER.replace(',', "\t");
    let tabs = import_error("tabs.csv", tabs.as_bytes()).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(tabs.contains("separated by tabs, not commas"), "{tabs}");
}

#[test]
fn an_unterminated_quote_points_at_the_quote() {
    let text = format!("{HEADER}kent,peel 2023,2025-06,\"Managing offenders,good,https://e.org,stated\n");
    insta::assert_snapshot!(import_error("quote.csv", text.as_bytes()));
}

#[test]
fn a_date_outside_its_programme_is_a_problem() {
    let text = format!(
        "{HEADER}kent,peel 2023,3001-06,Managing offenders,good,https://e.org,stated\n\
         essex,peel 2023,1800,Managing offenders,good,https://e.org,stated\n"
    );
    insta::assert_snapshot!(import_error("dates.csv", text.as_bytes()));
}

#[test]
fn a_bad_year_in_a_programme_is_one_problem_not_one_per_row() {
    let text = "kind,force,programme,published,area,grade,source_url,basis,start_year,end_year,scale,theme\n\
        programme,,PEEL 2027,,,,,,3001,2028,five-tier,\n\
        area,,PEEL 2027,,Answering calls,,,,,,,responding\n\
        grade,kent,PEEL 2027,2027-06,Answering calls,good,https://e.org,stated,,,,\n\
        grade,essex,PEEL 2027,2027-06,Answering calls,good,https://e.org,stated,,,,\n";
    let err = import_error("programme.csv", text.as_bytes());
    insta::assert_snapshot!(err);
    assert!(err.contains("1 problem"), "{err}");
}

#[test]
fn json_a_reader_cannot_hold_says_why() {
    let row = |basis: &str, url: &str| {
        format!(
            r#"[{{"force":"kent","programme":"peel 2023","published":"2025-06","area":"Managing offenders","grade":"good","source_url":{url},"basis":{basis}}}]"#
        )
    };
    insta::assert_snapshot!(
        "huge_number",
        import_error("num.json", row("1e999", "\"https://e.org\"").as_bytes())
    );
    insta::assert_snapshot!(
        "lone_surrogate",
        import_error("sur.json", row("\"stated\"", r#""\ud800""#).as_bytes())
    );
}

#[test]
fn a_byte_order_mark_is_read_past_in_json_csv_and_scripts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = r#"[{"force":"kent","programme":"peel 2023","published":"2025-06","area":"Managing offenders","grade":"good","source_url":"https://e.org","basis":"stated"}]"#;
    let csv = format!("{HEADER}kent,peel 2023,2025-06,Managing offenders,good,https://e.org,stated\n");
    for (name, text) in [("bom.json", json.to_owned()), ("bom.csv", csv)] {
        fs::write(dir.path().join(name), format!("\u{feff}{text}")).expect("write");
        let out = run(dir.path(), &["--memory", "import", name, "--dry-run"]);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("1 row"), "{name}");
    }
    fs::write(dir.path().join("bom.pql"), "\u{feff}forces where name ~ \"Kent\" select name\n")
        .expect("write");
    let out = run(dir.path(), &["--memory", "-f", "csv", "run", "bom.pql"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "name\nKent Police\n");
}

#[test]
fn an_invisible_character_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("nul.pql"), "forces \0where region = \"Wales\"\n").expect("write");
    insta::assert_snapshot!(error(dir.path(), &["--memory", "run", "nul.pql"]));
}

#[test]
fn latin1_text_is_placed_by_line_and_column() {
    let mut bytes =
        format!("{HEADER}kent,peel 2023,2025-06,Managing offenders,good,https://e.org/").into_bytes();
    bytes.extend_from_slice(b"caf\xe9,stated\n");
    insta::assert_snapshot!(import_error("latin.csv", &bytes));
}

#[test]
fn a_null_parameter_in_a_comparison_is_the_null_comparison_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err =
        error(dir.path(), &["--memory", "-c", "forces where name = $f select name", "--param", "f=null"]);
    insta::assert_snapshot!(err);
    assert!(err.contains("peelql::type::null_comparison"));
}

#[test]
fn a_missing_import_file_is_missing_whatever_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["nofile", "nofile.csv", "nofile.json"] {
        let err = error(dir.path(), &["--memory", "import", name]);
        assert!(err.contains("peelql::import::unreadable"), "{err}");
        assert!(err.contains(&format!("cannot read {name}: it does not exist")), "{err}");
    }
}

#[test]
fn a_bit_flipped_in_conf_is_named_and_the_advice_keeps_the_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("store");
    let db_arg = db.to_str().expect("utf-8");
    assert!(run(dir.path(), &["--db", db_arg, "-c", "forces limit 1"]).status.success());
    let conf = db.join("conf");
    let mut bytes = fs::read(&conf).expect("conf");
    // the version line: sled would blame "a version earlier than 0.29"
    let at = bytes.windows(4).position(|w| w == b"0.34").expect("version");
    bytes[at + 2] ^= 0x01;
    fs::write(&conf, bytes).expect("write");
    // queries answered from the snapshot or the bundle never read conf: make sled needed
    fs::remove_file(db.join("snapshot.pqs")).expect("snapshot");
    fs::remove_file(db.join("bundled.fingerprint")).expect("marker");
    let err = error(dir.path(), &["--db", db_arg, "-c", "forces limit 1"]);
    insta::assert_snapshot!(err);
    assert!(!err.contains("delete"), "{err}");
}

#[test]
fn stray_store_paths_say_what_is_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink("/nonexistent/peelql-store", dir.path().join("dangling")).expect("symlink");
    insta::assert_snapshot!(
        "dangling_symlink",
        error(dir.path(), &["--db", "dangling", "-c", "forces limit 1"])
    );
    if Path::new("/proc/self").exists() {
        let err = error(dir.path(), &["--db", "/proc", "-c", "forces limit 1"]);
        assert!(err.contains("peelql::store::not_a_store"), "{err}");
        assert!(!err.contains("does not exist"), "{err}");
    }
}
