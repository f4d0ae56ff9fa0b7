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
