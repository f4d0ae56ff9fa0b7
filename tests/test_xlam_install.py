"""Install, remove and status against a temporary Windows-shaped profile folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from jinguo_xl.xlam import install as inst
from jinguo_xl.xlam.build import DEFAULT_OUTPUT


def _never() -> bool:
    return False


@pytest.fixture
def empty_profile(tmp_path: Path) -> inst.Profile:
    return inst.Profile.under(tmp_path / "张三")


@pytest.fixture
def venv_in_local_appdata(empty_profile: inst.Profile) -> Path:
    scripts = empty_profile.localappdata / "jinguo" / "venv" / "Scripts"
    scripts.mkdir(parents=True)
    exe = scripts / "pythonw.exe"
    exe.write_bytes(b"")
    return exe


def test_install_copies_the_addin_byte_for_byte_into_xlstart(empty_profile, venv_in_local_appdata):
    result = inst.install(
        DEFAULT_OUTPUT, empty_profile, interpreter=venv_in_local_appdata, excel_running=_never
    )
    target = empty_profile.appdata / "Microsoft" / "Excel" / "XLSTART" / "jinguo_xl.xlam"
    assert result.addin == target
    assert target.read_bytes() == DEFAULT_OUTPUT.read_bytes()
    assert not list(target.parent.glob(".*"))  # no temporary file left behind


def test_config_names_the_interpreter_portably_in_the_form_vba_reads(
    empty_profile, venv_in_local_appdata
):
    inst.install(
        DEFAULT_OUTPUT, empty_profile, interpreter=venv_in_local_appdata, excel_running=_never
    )
    raw = (empty_profile.userprofile / ".jinguo_xl" / "jinguo_xl.conf").read_bytes()
    assert raw == b'"INTERPRETER_WIN","%LOCALAPPDATA%\\jinguo\\venv\\Scripts\\pythonw.exe"\r\n'
    assert list(csv.reader(io.StringIO(raw.decode("ascii")))) == [
        ["INTERPRETER_WIN", "%LOCALAPPDATA%\\jinguo\\venv\\Scripts\\pythonw.exe"]
    ]


def test_install_keeps_the_users_other_settings_and_replaces_only_ours(
    empty_profile, venv_in_local_appdata
):
    conf = empty_profile.config_file
    conf.parent.mkdir(parents=True)
    conf.write_bytes(b'"SHOW CONSOLE","True"\r\n"interpreter_win","C:\\old\\python.exe"\r\n')
    inst.install(
        DEFAULT_OUTPUT, empty_profile, interpreter=venv_in_local_appdata, excel_running=_never
    )
    lines = conf.read_bytes().decode("ascii").splitlines()
    assert lines[0] == '"SHOW CONSOLE","True"'
    assert len(lines) == 2 and lines[1].startswith('"INTERPRETER_WIN","%LOCALAPPDATA%')


def test_install_is_refused_while_excel_runs(empty_profile, venv_in_local_appdata):
    with pytest.raises(inst.AddinInstallError, match="Excel 正在运行"):
        inst.install(
            DEFAULT_OUTPUT,
            empty_profile,
            interpreter=venv_in_local_appdata,
            excel_running=lambda: True,
        )
    assert not empty_profile.addin.exists() and not empty_profile.config_file.exists()


def test_an_interpreter_path_the_ansi_page_cannot_hold_is_refused(empty_profile, tmp_path):
    exe = tmp_path / "Ελληνικά" / "pythonw.exe"  # not in GBK, and outside the profile
    with pytest.raises(inst.AddinInstallError, match="只含英文和数字"):
        inst.install(DEFAULT_OUTPUT, empty_profile, interpreter=exe, excel_running=_never)


def test_a_missing_addin_file_says_to_build_first(empty_profile, tmp_path):
    with pytest.raises(inst.AddinInstallError, match="addin build"):
        inst.install(tmp_path / "none.xlam", empty_profile, excel_running=_never)


def test_status_before_and_after_install(empty_profile, venv_in_local_appdata):
    before = inst.status(empty_profile, DEFAULT_OUTPUT)
    assert not before.installed and before.interpreter is None
    assert "未安装" in before.lines()[0]
    inst.install(
        DEFAULT_OUTPUT, empty_profile, interpreter=venv_in_local_appdata, excel_running=_never
    )
    after = inst.status(empty_profile, DEFAULT_OUTPUT)
    assert after.installed and after.same_as_built and after.interpreter_exists
    assert after.interpreter == "%LOCALAPPDATA%\\jinguo\\venv\\Scripts\\pythonw.exe"


def test_status_notices_an_outdated_copy(empty_profile, venv_in_local_appdata, tmp_path):
    old = tmp_path / "old.xlam"
    old.write_bytes(b"PK old build")
    inst.install(old, empty_profile, interpreter=venv_in_local_appdata, excel_running=_never)
    state = inst.status(empty_profile, DEFAULT_OUTPUT)
    assert state.same_as_built is False
    assert any("重新运行 jinguo-xl addin install" in line for line in state.lines())


def test_remove_takes_out_the_addin_and_only_our_setting(empty_profile, venv_in_local_appdata):
    conf = empty_profile.config_file
    conf.parent.mkdir(parents=True)
    conf.write_bytes(b'"SHOW CONSOLE","True"\r\n')
    inst.install(
        DEFAULT_OUTPUT, empty_profile, interpreter=venv_in_local_appdata, excel_running=_never
    )
    changed = inst.remove(empty_profile, excel_running=_never)
    assert empty_profile.addin in changed and not empty_profile.addin.exists()
    assert conf.read_bytes() == b'"SHOW CONSOLE","True"\r\n'
    assert inst.remove(empty_profile, excel_running=_never) == [conf]  # nothing else left


def test_remove_deletes_a_config_that_held_only_our_line(empty_profile, venv_in_local_appdata):
    inst.install(
        DEFAULT_OUTPUT, empty_profile, interpreter=venv_in_local_appdata, excel_running=_never
    )
    inst.remove(empty_profile, excel_running=_never)
    assert not empty_profile.config_file.parent.exists()


def test_profile_from_the_environment_needs_a_windows_user():
    with pytest.raises(inst.AddinInstallError, match="--profile"):
        inst.Profile.from_environment({"HOME": "/home/x"})
    profile = inst.Profile.from_environment(
        {"USERPROFILE": "C:/Users/li", "APPDATA": "C:/Users/li/AppData/Roaming"}
    )
    assert profile.xlstart == Path("C:/Users/li/AppData/Roaming/Microsoft/Excel/XLSTART")
    assert profile.config_file == Path("C:/Users/li/.jinguo_xl/jinguo_xl.conf")
