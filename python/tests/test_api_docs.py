"""The type stubs describe the module as it is, and everything public is documented."""

import ast
import inspect
import pathlib

import peelql
import peelql._native as native

STUB = pathlib.Path(peelql.__file__).with_name("_native.pyi")


def stub_classes():
    tree = ast.parse(STUB.read_text())
    return {
        node.name: [n.name for n in node.body if isinstance(n, ast.FunctionDef)]
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }


def test_the_stub_is_installed_beside_the_module():
    assert STUB.exists()
    assert STUB.with_name("py.typed").exists()


def test_every_public_name_has_a_stub_and_the_stub_names_only_what_exists():
    classes = stub_classes()
    public = {n for n in peelql.__all__ if inspect.isclass(getattr(peelql, n))}
    assert public == set(classes)
    for name, methods in classes.items():
        cls = getattr(native, name)
        for m in methods:
            if m.startswith("__") and m not in ("__init__",):
                continue
            assert hasattr(cls, m), f"{name}.{m} is in the stub but not in the module"


def test_every_public_method_is_documented():
    for name in peelql.__all__:
        obj = getattr(peelql, name)
        if not inspect.isclass(obj):
            continue
        assert obj.__doc__, name
        for attr, value in vars(obj).items():
            if attr.startswith("_") or not callable(value) and not isinstance(value, property | type(peelql.Rows.columns)):
                continue
            if isinstance(value, obj):  # Grade members
                continue
            assert getattr(value, "__doc__", None), f"{name}.{attr} has no docstring"
