"""House rules enforced as tests: the core never imports xlwings; every finding code is known."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import jinguo_xl
from jinguo_xl.findings.messages import FINDINGS

PACKAGE = Path(jinguo_xl.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_only_the_excel_and_addin_packages_import_xlwings():
    offenders = []
    for path in SOURCES:
        if {"excel", "xlam"} & set(path.relative_to(PACKAGE).parts):
            continue
        for node in ast.walk(_tree(path)):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "xlwings" for n in names):
                offenders.append(path.name)
    assert offenders == []


def test_every_finding_code_raised_in_code_has_a_message():
    callers = {"make_finding", "add", "flag", "_finding"}
    used = set()
    for path in SOURCES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                first = node.args[0]
                if (
                    name in callers
                    and isinstance(first, ast.Constant)
                    and isinstance(first.value, str)
                ):
                    used.add(first.value)
    assert used, "the scan found no finding codes at all"
    assert sorted(used - set(FINDINGS)) == []


def test_codes_are_stable_kebab_case_with_known_severity():
    for code, (severity, template) in FINDINGS.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", code), code
        assert severity in {"error", "warning", "info"}, code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in template), code


def test_every_message_names_only_known_fields():
    known = {"detail", "value", "column", "allowed", "origin"}
    for code, (_, template) in FINDINGS.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        assert fields <= known, (code, fields - known)


# The stages from the bottom up; a module may import its own package and anything ranked lower.
# Imports under ``if TYPE_CHECKING:`` are annotations, not dependencies, and are not counted.
LAYERS: dict[str, int] = {
    "errors": 0,
    "labels": 0,
    "version": 0,
    "privacy": 1,
    "findings": 2,
    "vocabulary": 3,
    "rules": 4,
    "read": 5,
    "validate": 6,
    "count": 7,
    "combine": 8,
    "writers": 9,
    "run": 10,
    "api": 11,
    "demo": 11,
    "excel": 11,
    "xlam": 12,
    "cli": 13,
    "__main__": 14,
}


def _runtime_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, first name under jinguo_xl) of every import that runs, annotations aside."""
    typing_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(n) for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jinguo_xl"):
            parts = node.module.split(".")
            names = [a.name for a in node.names] if len(parts) == 1 else [parts[1]]
            found += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name.split(".")[1])
                for a in node.names
                if a.name.startswith("jinguo_xl.")
            ]
    return found


def test_every_module_belongs_to_a_known_stage():
    stages = {p.relative_to(PACKAGE).with_suffix("").parts[0] for p in SOURCES}
    assert sorted(stages - set(LAYERS) - {"__init__"}) == []


def test_stages_import_only_downwards():
    offenders = []
    for path in SOURCES:
        me = path.relative_to(PACKAGE).with_suffix("").parts[0]
        if me == "__init__":
            continue
        for line, other in _runtime_imports(_tree(path)):
            if other == me:
                continue
            if LAYERS.get(other, 99) >= LAYERS[me] and not LAYERS[other] == LAYERS[me] == 0:
                offenders.append(f"{path.relative_to(PACKAGE)}:{line} {me} → {other}")
    assert offenders == []


def test_the_layering_check_sees_an_upward_import(tmp_path):
    """The check above must be able to fail: an upward import is reported."""
    tree = ast.parse("from jinguo_xl.writers.master import write_master\n")
    assert _runtime_imports(tree) == [(1, "writers")]
    assert LAYERS["writers"] > LAYERS["combine"]
