"""House rules enforced as tests: the core never imports xlwings; finding codes are enum members."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import jinguo_xl
from jinguo_xl.findings import Code, Scope, Severity

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


def test_every_code_has_a_chinese_message_a_known_severity_and_a_scope():
    assert len(Code) > 50
    for code in Code:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", code.value), code
        assert code.name == code.value.upper().replace("-", "_"), code
        assert code.severity in set(Severity), code
        assert code.scope in set(Scope), code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in code.template), code


def test_every_message_names_only_known_fields():
    known = {"detail", "value", "column", "allowed", "origin", "reason"}
    for code in Code:
        fields = {f for _, f, _, _ in string.Formatter().parse(code.template) if f}
        assert fields <= known, (code, fields - known)


def _bare_codes(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, text) of every string literal spelling a finding code."""
    values = {code.value for code in Code}
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in values
    ]


def test_no_module_spells_a_finding_code_as_a_bare_string():
    """Codes are written as ``Code.PHONE_INVALID``: a typo then fails at import, not in a
    clerk's report. Only the registry itself spells them out."""
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line} {text}"
        for path in SOURCES
        if path != PACKAGE / "findings" / "messages.py"
        for line, text in _bare_codes(_tree(path))
    ]
    assert offenders == []


def test_the_bare_code_check_sees_a_bare_string():
    """The check above must be able to fail: a code passed as a string is reported."""
    source = 'out.add("phone-invalid", sheet, row, col)\nif f.code == "row-duplicate": pass\n'
    tree = ast.parse(source)
    assert _bare_codes(tree) == [(1, "phone-invalid"), (2, "row-duplicate")]


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
