"""House rules enforced as tests: the core never imports xlwings; every finding code is known."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import jinguo_xl
from jinguo_xl.messages import FINDINGS

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
