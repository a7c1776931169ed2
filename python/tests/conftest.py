"""Shared fixtures: one in-memory engine, and the CLI binary the answers are
checked against (``PEELQL_BIN``, else the repository's target/debug/peelql)."""

import datetime
import os
import pathlib
import subprocess

import pytest

import peelql

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def engine():
    return peelql.Engine()


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("PEELQL_BIN") or str(ROOT / "target" / "debug" / "peelql")
    if not os.path.exists(path):
        pytest.fail(f"the peelql binary is not at {path}: run `cargo build` or set PEELQL_BIN")

    def run(*args):
        out = subprocess.run([path, "--memory", *args], capture_output=True, text=True, timeout=120)
        return out

    return run


def plain(v):
    """A value as the CLI's JSON writes it."""
    if isinstance(v, peelql.Grade):
        return v.label
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v
