"""The README is the clerk's manual: every command and every finding code must be in it."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from jinguo_xl.cli import build_parser
from jinguo_xl.findings import Code

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(parser: argparse.ArgumentParser, prefix: str = "jinguo-xl") -> list[str]:
    """Every runnable command line: ``jinguo-xl check``, ``jinguo-xl addin build`` …"""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = _commands(sub, f"{prefix} {name}")
                found += nested or [f"{prefix} {name}"]
    return found


def _documented(command: str) -> bool:
    """``jinguo-xl addin install`` is documented as such or in ``addin install | remove``."""
    *head, last = command.split()
    if f"`{command}" in README:
        return True
    group = re.escape(" ".join(head))
    return re.search(rf"`{group} [^`]*\b{re.escape(last)}\b[^`]*`", README) is not None


def test_the_parser_has_the_commands_the_scan_expects():
    commands = _commands(build_parser())
    assert {"jinguo-xl check", "jinguo-xl consolidate", "jinguo-xl addin build"} <= set(commands)


@pytest.mark.parametrize("command", _commands(build_parser()))
def test_every_command_is_in_the_readme(command):
    assert _documented(command), f"README 中没有说明命令 {command}"


def test_an_undocumented_command_would_be_noticed():
    assert not _documented("jinguo-xl frobnicate")
    assert not _documented("jinguo-xl addin frobnicate")


def _code_table() -> dict[str, str]:
    """code → severity label, from the README's table of finding codes."""
    return dict(re.findall(r"^\| `([a-z-]+)` \| (错误|警告|提示) \|", README, re.M))


def test_every_finding_code_is_in_the_readme_with_its_severity():
    table = _code_table()
    expected = {code.value: code.severity.label for code in Code}
    assert table == expected


# ---------------------------------------------------------------------- the Python example


def _python_block() -> str:
    section = README[README.index("## 在 Python 中使用") :]
    start = section.index("```python\n") + len("```python\n")
    return section[start : section.index("\n```", start)]


def _shown(block: str) -> list[tuple[str, str]]:
    """(expression, what its comment says it shows) for lines like ``result  # <Consolidated…>``:
    a comment that starts with a value (``<``, ``(``, ``'`` or a digit)."""
    found = []
    for line in block.splitlines():
        code, _, comment = line.partition("  # ")
        comment = comment.strip().split("，即")[0]
        if code.strip() and "=" not in code and re.match(r"[<('\d]", comment):
            found.append((code.strip(), comment))
    return found


def test_the_readme_python_example_runs_as_written_on_the_demo(tmp_path, monkeypatch, capsys):
    """Where ``jinguo-xl demo`` wrote its output, the README's Python block runs verbatim and
    each value its comments show is what it gives ("…" standing for the rest of a text)."""
    from jinguo_xl.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) in (0, 1)
    capsys.readouterr()
    block = _python_block()
    assert "某合作社" not in block
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    shown = _shown(block)
    assert len(shown) >= 3, shown
    for code, comment in shown:
        value = str(eval(code, namespace))
        head, cut, tail = comment.partition("…")
        if not cut:
            assert value == comment, (code, value, comment)
        else:  # "…" stands for the rest of a long text
            assert value.startswith(head) and value.endswith(tail), (code, value, comment)


def test_the_example_check_finds_what_it_claims():
    shown = dict(_shown(_python_block()))
    assert shown["result"].startswith("<Consolidated: 16 个文件，14 个基地计入汇总，666 行数据")
    assert shown['round(women["金额（万元）"].sum(), 2)'] == "87.02"


def test_the_readme_picture_is_the_one_the_script_makes():
    """docs/make_picture.py writes the picture the README shows (and refuses to write one
    without a CJK font: tests/test_master.py checks the printed master the same way)."""
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("make_picture", root / "docs" / "make_picture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shown = re.search(r"!\[[^\]]*\]\((docs/[^)]+\.png)\)", README).group(1)
    assert root / shown == module.PICTURE and module.PICTURE.stat().st_size > 50_000
    assert "python docs/make_picture.py" in README
    assert module.CJK_FONT.search("BAAAAA+NotoSansCJKjp-Regular") and not module.CJK_FONT.search(
        "CAAAAA+DejaVuSans"
    )
