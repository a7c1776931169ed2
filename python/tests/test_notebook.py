"""What a notebook shows: Rows as a table, Grid as the coloured grid."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import peelql


class Cells(HTMLParser):
    """The header and body cells of the tables in a fragment, with classes."""

    def __init__(self):
        super().__init__()
        self.head, self.rows, self.classes = [], [], []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
            self.classes.append([])
        if tag in ("td", "th"):
            self._cell = (tag, dict(attrs).get("class"), [])

    def handle_data(self, data):
        if self._cell:
            self._cell[2].append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell:
            kind, cls, text = self._cell
            if kind == "th" and not self.head:
                self.head.append("".join(text))
            elif kind == "th" and len(self.rows) == 1:
                self.head.append("".join(text))
            else:
                self.rows[-1].append("".join(text))
                self.classes[-1].append(cls)
            self._cell = None


def test_rows_show_as_an_html_table(engine):
    rows = engine.query('grades where force = "cambs" select area, grade')
    html = rows._repr_html_()
    assert html.startswith('<div class="peelql">') and "<body" not in html
    p = Cells()
    p.feed(html)
    assert p.head == ["area", "grade"]
    body = [r for r in p.rows if r]
    assert body == [[a, g.label] for a, g in rows]
    grade_classes = [c[1] for c in p.classes if c]
    assert grade_classes == ["g-" + g.code.lower() for _, g in rows]
    assert "(8 rows)" in html


def test_a_long_result_shows_its_first_hundred_rows(engine):
    rows = engine.query("grades in all")
    assert len(rows) > 100
    html = rows._repr_html_()
    assert html.count("<tr>") == 101  # header and 100 rows
    assert f"({len(rows)} rows)" in html


def test_text_is_escaped(engine):
    rows = engine.query('forces where name = "<b>" or 1 = 2 select name') if False else None
    rows = engine.query('grades where force = "cambs" select area, "<b>&" as t')
    assert "&lt;b&gt;&amp;" in rows._repr_html_() and "<b>&" not in rows._repr_html_()


def test_a_grid_shows_itself(engine):
    g = engine.query('grades where force = "cambs"').grid()
    assert isinstance(g, peelql.Grid) and g.drawn
    html = g._repr_html_()
    assert html.startswith('<div class="peelql">') and "<body" not in html
    assert "Responding to the public" in html and ">I</td>" in html
    page = g.to_html()
    assert page.startswith("<!DOCTYPE html>")
    svg = ET.fromstring(g._repr_svg_())
    assert svg.tag.endswith("svg")
    texts = "".join(svg.itertext())
    assert "Cambridgeshire" in texts
    assert "Cambridgeshire" in str(g)


def test_a_result_without_grades_draws_a_table(engine):
    g = engine.query("programmes").grid()
    assert not g.drawn
    assert "programme" in g._repr_html_() or "PEEL" in g._repr_html_()


def test_render_is_the_cli_format(engine, cli):
    q = 'grades where force = "cambs" select area, grade'
    for fmt in ("csv", "markdown", "json"):
        out = cli("-c", q, "--format", fmt)
        assert engine.query(q).render(fmt) == out.stdout
