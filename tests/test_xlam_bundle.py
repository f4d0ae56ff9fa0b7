"""The offline Windows bundle: resolution with Windows' markers, pip offline, the zip's layout.

Everything here runs without network on small wheels made in the test. The full bundle (about
170 MB, made with internet) is checked by the last test when ``JINGUO_BUNDLE`` names its zip.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

from jinguo_xl import cli
from jinguo_xl.xlam import bundle, winbat
from jinguo_xl.xlam.build import DEFAULT_OUTPUT


def _wheel(folder: Path, name: str, version: str, tag: str = "py3-none-any", requires=()) -> Path:
    """A minimal but valid wheel: enough for pip to read its metadata and tags."""
    dist = f"{name.replace('-', '_')}-{version}"
    path = folder / f"{dist}-{tag}.whl"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    wheel = f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: {tag}\n"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{dist}.dist-info/METADATA", meta)
        z.writestr(f"{dist}.dist-info/WHEEL", wheel)
        z.writestr(f"{dist}.dist-info/RECORD", "")
    return path


@pytest.fixture
def wheels_with_a_windows_only_dependency(tmp_path) -> Path:
    """jinguo-xl needs ``helper`` everywhere and ``pywin32`` only on Windows (as xlwings does);
    pywin32 is there for CPython 3.13 only."""
    folder = tmp_path / "wheels"
    folder.mkdir()
    _wheel(
        folder,
        "jinguo-xl",
        "0.1.0",
        requires=["helper>=1", 'pywin32>=300; platform_system == "Windows"'],
    )
    _wheel(folder, "helper", "1.0")
    _wheel(folder, "pywin32", "312", tag="cp313-cp313-win_amd64")
    return folder


def test_a_complete_folder_resolves_for_windows(wheels_with_a_windows_only_dependency):
    # Both checks: the closure with Windows' markers and pip's own offline resolution.
    assert bundle.verify(wheels_with_a_windows_only_dependency, ["3.13"]) == []


def test_a_windows_only_dependency_pip_would_skip_is_found_missing(
    wheels_with_a_windows_only_dependency,
):
    folder = wheels_with_a_windows_only_dependency
    (folder / "pywin32-312-cp313-cp313-win_amd64.whl").unlink()
    # pip, run on this machine, evaluates the marker for Linux and is satisfied...
    assert bundle.pip_resolution_problems(folder, "3.13") == ""
    # ...which is exactly why the bundle walks the closure with Windows' markers.
    assert bundle.missing_for_windows(folder, "3.13") == ["pywin32>=300"]


def test_a_wheel_for_another_python_does_not_count(wheels_with_a_windows_only_dependency):
    assert bundle.missing_for_windows(wheels_with_a_windows_only_dependency, "3.12") == [
        "pywin32>=300"
    ]


def test_pip_offline_names_what_is_missing(wheels_with_a_windows_only_dependency):
    folder = wheels_with_a_windows_only_dependency
    (folder / "helper-1.0-py3-none-any.whl").unlink()
    missing, pip_said = bundle.verify(folder, ["3.13"])
    assert missing == "Python 3.13：缺少 helper>=1 的 Windows 安装包"
    assert pip_said.startswith("Python 3.13：pip 无法离线解析：ERROR:")
    assert "helper" in pip_said


def test_the_zip_holds_one_folder_with_installer_addin_template_and_wheels(
    tmp_path, wheels_with_a_windows_only_dependency
):
    out = tmp_path / "jinguo_xl-windows.zip"
    bundle.assemble(
        out, wheels_with_a_windows_only_dependency, ("3.13",), DEFAULT_OUTPUT, bundle.TEMPLATE
    )
    with zipfile.ZipFile(out) as z:
        infos = {i.filename: i for i in z.infolist()}
        names = set(infos)
        assert names == {
            f"jinguo_xl-windows/{n}"
            for n in (
                "安装.bat",
                "卸载.bat",
                "说明.txt",
                "jinguo_xl.xlam",
                "统计表模板_2020.xlsx",
                "wheels/jinguo_xl-0.1.0-py3-none-any.whl",
                "wheels/helper-1.0-py3-none-any.whl",
                "wheels/pywin32-312-cp313-cp313-win_amd64.whl",
            )
        }
        assert all(i.flag_bits & 0x800 for i in infos.values() if not i.filename.isascii())
        assert infos["jinguo_xl-windows/wheels/helper-1.0-py3-none-any.whl"].compress_type == 0
        assert z.read("jinguo_xl-windows/jinguo_xl.xlam") == DEFAULT_OUTPUT.read_bytes()
        install = z.read("jinguo_xl-windows/安装.bat")
        readme = z.read("jinguo_xl-windows/说明.txt").decode("utf-8-sig")
    assert winbat.bat_problems(install.decode("cp936")) == []
    assert "Python 3.13 中任一版本的 Windows installer (64-bit)" in readme
    assert "\r\n" in readme


def test_an_incomplete_folder_writes_no_zip(tmp_path, wheels_with_a_windows_only_dependency):
    folder = wheels_with_a_windows_only_dependency
    (folder / "pywin32-312-cp313-cp313-win_amd64.whl").unlink()
    out = tmp_path / "b.zip"
    with pytest.raises(bundle.BundleError, match="缺少 pywin32>=300"):
        bundle.make_bundle(out, ("3.13",), wheels_from=folder)
    assert not out.exists()
    assert list(tmp_path.glob("*.zip")) == []


def test_the_command_bundles_a_given_folder_and_reports_it(
    tmp_path, capsys, wheels_with_a_windows_only_dependency
):
    out = tmp_path / "包.zip"
    code = cli.main(
        ["addin", "bundle", "-o", str(out), "--python", "3.13",
         "--wheels", str(wheels_with_a_windows_only_dependency)]
    )  # fmt: skip
    said = capsys.readouterr().out
    assert code == 0, said
    assert "已写出离线安装包" in said and "3 个安装包" in said
    assert zipfile.is_zipfile(out)


def test_the_command_refuses_a_name_that_is_not_a_zip(tmp_path, capsys):
    assert cli.main(["addin", "bundle", "-o", str(tmp_path / "x.txt")]) == cli.EXIT_USAGE
    assert "只能保存为 .zip" in capsys.readouterr().err


def test_the_command_refuses_an_unsupported_python(tmp_path, capsys):
    code = cli.main(["addin", "bundle", "-o", str(tmp_path / "x.zip"), "--python", "2.7"])
    assert code == cli.EXIT_USAGE
    assert "不支持的 Python 版本：2.7" in capsys.readouterr().err


def test_an_xlwings_wheel_without_the_32_bit_dll_is_refused(tmp_path):
    folder = tmp_path / "wheels"
    folder.mkdir()
    wheel = _wheel(folder, "xlwings", "0.37.8", tag="cp313-cp313-win_amd64")
    with zipfile.ZipFile(wheel, "a") as z:
        z.writestr("xlwings-0.37.8.data/data/xlwings64-0.37.8.dll", b"MZ")
    assert bundle.missing_dlls(folder, "3.13") == ["xlwings32-0.37.8.dll"]
    with zipfile.ZipFile(wheel, "a") as z:
        z.writestr("xlwings-0.37.8.data/data/xlwings32-0.37.8.dll", b"MZ")
    assert bundle.missing_dlls(folder, "3.13") == []


@pytest.mark.skipif(not os.environ.get("JINGUO_BUNDLE"), reason="set JINGUO_BUNDLE to a built zip")
def test_a_built_bundle_resolves_offline_for_every_python_it_names(tmp_path):
    with zipfile.ZipFile(os.environ["JINGUO_BUNDLE"]) as z:
        z.extractall(tmp_path)
    folder = tmp_path / bundle.FOLDER / "wheels"
    pythons = sorted({f"3.{m}" for m in re.findall(r"-cp3(\d+)-", " ".join(os.listdir(folder)))})
    assert pythons, "no CPython wheels in the bundle"
    assert bundle.verify(folder, pythons) == []
