"""The bundle's batch files: what cmd.exe on a Chinese or English Windows needs of them."""

from __future__ import annotations

import pytest

from jinguo_xl.xlam import winbat

PYTHONS = ("3.11", "3.12", "3.13")


@pytest.fixture(params=["install", "uninstall"])
def bat_text(request) -> str:
    if request.param == "install":
        return winbat.install_bat(PYTHONS, "jinguo_xl.xlam")
    return winbat.uninstall_bat()


def test_both_files_follow_every_rule(bat_text):
    assert winbat.bat_problems(bat_text) == []
    data = winbat.encode(bat_text)
    assert data.decode("cp936") == bat_text
    assert data.count(b"\r\n") == data.count(b"\n")
    head = data.split(b"\r\n")[:2]
    assert head == [b"@echo off", b"chcp 936 >nul"]


def test_the_installer_works_offline_from_its_own_folder():
    text = winbat.install_bat(PYTHONS, "jinguo_xl.xlam")
    assert (
        '-m pip install --no-index --find-links "%HERE%wheels" --disable-pip-version-check'
        " --upgrade jinguo-xl" in text
    )
    assert '"%ENVDIR%\\Scripts\\jinguo-xl.exe" addin install --file "%HERE%jinguo_xl.xlam"' in text
    assert "for %%V in (3.13 3.12 3.11) do (" in text  # newest Python first, 64-bit only
    assert "-%%V-64" in text
    assert "Python 3.11、3.12、3.13 中任一版本（64 位" in text


def _char_with_trail(byte: int) -> str:
    cjk = map(chr, range(0x4E00, 0x9FA6))
    return next(ch for ch in cjk if ch.encode("gbk", "ignore")[1:] == bytes([byte]))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("\r\n", "\n", 1), "换行不是 CRLF"),
        (lambda t: "rem 安装\r\n" + t, "chcp 936"),
        (lambda t: t.replace('rmdir /s /q "%ENVDIR%"', "rmdir /s /q %ENVDIR%"), "没有放在引号中"),
        (lambda t: t.replace('"%HERE%wheels"', '"%HERE%"'), "后面不能直接跟引号"),
        (lambda t: t.replace("pause\r\nexit /b 0", "rem 完成\r\npause"), "只能出现在 echo"),
        (lambda t: t.replace("echo 使用", f"echo {_char_with_trail(0x7C)}"), "尾字节"),
        (lambda t: t.replace("echo 使用", f"echo {_char_with_trail(0x5E)}"), "尾字节"),
        (lambda t: t.replace("echo 使用", "echo 使用 €"), "GBK 无法表示"),
    ],
)
def test_each_rule_catches_its_mistake(change, expected):
    broken = change(winbat.install_bat(PYTHONS, "jinguo_xl.xlam"))
    found = winbat.bat_problems(broken)
    assert any(expected in p for p in found), found
    with pytest.raises(ValueError, match=expected):
        winbat.encode(broken)
