"""Each error class, with its code, span, label and help; str(e) is the report."""

import pytest

import peelql


def check(e, cls, code, text, pointed):
    assert isinstance(e, cls) and isinstance(e, peelql.PeelQLError)
    assert e.code == code
    assert e.span is not None and text[e.span[0] : e.span[1]] == pointed
    report = str(e)
    assert code in report and e.message in report.replace("\n  │ ", " ")
    assert "\x1b" not in report  # no colour
    assert e.problems[0]["code"] == code


def test_parse_error(engine):
    text = 'forces wher region = "Wales"'
    with pytest.raises(peelql.ParseError) as info:
        engine.query(text)
    e = info.value
    check(e, peelql.ParseError, "peelql::parse::expected", text, "wher")
    assert e.label == "not expected here"
    assert e.help == "did you mean `where`?"
    assert "forces wher region" in str(e) and "help: did you mean `where`?" in str(e)


def test_resolve_error(engine):
    text = 'forces where area("responsing") = good'
    with pytest.raises(peelql.ResolveError) as info:
        engine.query(text)
    check(info.value, peelql.ResolveError, "peelql::resolve::unknown_area", text, '"responsing"')
    assert "responding" in info.value.help


def test_type_error(engine):
    text = "grades where grade = 2024-03-13"
    with pytest.raises(peelql.QueryTypeError) as info:
        engine.query(text)
    assert info.value.code == "peelql::type::mismatch"
    assert info.value.span is not None
    assert not isinstance(info.value, TypeError)  # not Python's own TypeError


def test_several_problems_are_all_listed(engine):
    text = 'forces where area("responsing") = inadequat'
    with pytest.raises(peelql.ResolveError) as info:
        engine.query(text)
    codes = [p["code"] for p in info.value.problems]
    assert codes == ["peelql::resolve::unknown_area", "peelql::resolve::unknown_grade"]
    assert [text[slice(*p["span"])] for p in info.value.problems] == ['"responsing"', "inadequat"]


def test_spans_count_characters_not_bytes(engine):
    text = 'grades where area("écoute") = good'
    with pytest.raises(peelql.ResolveError) as info:
        engine.query(text)
    assert text[slice(*info.value.span)] == '"écoute"'


def test_import_error(engine, tmp_path):
    before = engine.export()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "force,programme,published,area,grade,source_url,basis\n"
        "Kent Police,PEEL 2023-25,2025-06,Managing offendres,good,https://example.org/k,stated\n"
    )
    with pytest.raises(peelql.DataImportError) as info:
        engine.import_file(bad)
    e = info.value
    assert e.code == "peelql::import::invalid"
    assert "bad.csv:2" in str(e) and "Managing offendres" in str(e)
    with pytest.raises(peelql.DataImportError) as info:
        engine.import_file(tmp_path / "missing.csv")
    assert info.value.code == "peelql::import::unreadable"
    assert engine.export() == before  # nothing was imported


def test_store_error(tmp_path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a store")
    with pytest.raises(peelql.StoreError) as info:
        peelql.Engine.open(in_the_way)
    assert info.value.code.startswith("peelql::store::")
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("dear")
    with pytest.raises(peelql.StoreError) as info:
        peelql.Engine.open(folder)
    assert info.value.code == "peelql::store::not_a_store"
    assert (folder / "letter.txt").read_text() == "dear"


def test_a_closed_engine(tmp_path):
    engine = peelql.Engine.open(tmp_path / "store")
    rows = engine.query('grades where force = "cambs"')
    engine.close()
    assert engine.closed
    for call in (
        lambda: engine.query("forces"),
        lambda: engine.prepare("forces"),
        lambda: engine.export(),
        lambda: engine.import_file(tmp_path / "x.csv"),
    ):
        with pytest.raises(peelql.StoreError) as info:
            call()
        assert info.value.code == "peelql::python::closed"
    assert len(rows) == 8  # rows already returned stay usable
    engine.close()  # twice is fine
    with peelql.Engine.open(tmp_path / "store") as again:
        assert len(again.query('grades where force = "cambs"')) == 8
    assert again.closed


def test_a_ten_megabyte_query_is_an_error_not_a_crash(engine):
    text = "forces where name = " + "x" * (10 * 1024 * 1024)
    with pytest.raises(peelql.PeelQLError) as info:
        engine.query(text)
    assert info.value.code.startswith("peelql::")
    assert info.value.code == "peelql::resolve::unknown_column"
    assert len(str(info.value)) < 10_000  # the report quotes the start of the name
    assert info.value.span[0] == len("forces where name = ")
    # a 10 MB string: no force has that name, and the report quotes its start
    huge_string = 'forces where name = "' + "y" * (10 * 1024 * 1024) + '"'
    with pytest.raises(peelql.ResolveError) as info:
        engine.query(huge_string)
    assert info.value.code == "peelql::resolve::unknown_force"
    assert len(str(info.value)) < 10_000
