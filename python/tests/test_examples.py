"""examples/python/: the script runs, and the notebook's code gives the
answers its saved outputs show."""

import ast
import contextlib
import io
import json
import subprocess
import sys

from conftest import ROOT

import peelql

EXAMPLES = ROOT / "examples" / "python"


def test_the_script_answers():
    out = subprocess.run([sys.executable, str(EXAMPLES / "responding.py")], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "forces graded requires improvement or worse at 'responding'" in out.stdout
    assert "Suffolk Constabulary" in out.stdout and "worse (was adequate)" in out.stdout
    assert out.stdout.strip().endswith("of them got worse since PEEL 2021/22.")


def test_the_notebook_runs_and_its_outputs_are_current():
    nb = json.loads((EXAMPLES / "peel_in_pandas.ipynb").read_text())
    ns = {}
    checked = 0
    value = None
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if isinstance(tree.body[-1], ast.Expr) else None
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(compile(tree, "cell", "exec"), ns)
            value = eval(compile(ast.Expression(last.value), "cell", "eval"), ns) if last else None
        for out in cell["outputs"]:
            if out["output_type"] == "stream":
                assert buf.getvalue() == "".join(out["text"])
                checked += 1
            elif isinstance(value, (peelql.Rows, list)):
                assert repr(value) == "".join(out["data"]["text/plain"])
                checked += 1
            if "text/html" in out.get("data", {}) and isinstance(value, peelql.Rows):
                assert value._repr_html_() == "".join(out["data"]["text/html"])
    assert checked >= 4
    assert isinstance(value, peelql.Grid) and value.drawn
