"""Office bitness from a fake registry and fake executables, and what ``addin status`` says."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
import xlwings

from jinguo_xl.xlam import install as inst
from jinguo_xl.xlam import office
from jinguo_xl.xlam.build import DEFAULT_OUTPUT

VER = xlwings.__version__


def _exe(path: Path, machine: int) -> Path:
    """A minimal PE image: the DOS header's pointer, the PE signature and the machine field."""
    head = bytearray(b"MZ" + b"\0" * 0x3E)
    struct.pack_into("<I", head, 0x3C, 0x40)
    path.write_bytes(bytes(head) + b"PE\0\0" + struct.pack("<H", machine) + b"\0" * 32)
    return path


def _registry(values: dict[str, str]) -> office.RegistryRead:
    return values.get


def test_click_to_run_64_bit_is_read_from_its_platform_value():
    found = office.detect(_registry({office.CLICK_TO_RUN: "x64"}))
    assert found == office.Office(64, f"注册表 {office.CLICK_TO_RUN}")
    assert found.dll(VER) == f"xlwings64-{VER}.dll"


def test_a_32_bit_msi_office_on_64_bit_windows_is_found_under_wow6432node():
    key = r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Office\16.0\Outlook\Bitness"
    assert office.detect(_registry({key: "x86"})).bits == 32


def test_excels_own_executable_wins_over_the_registry(tmp_path):
    exe = _exe(tmp_path / "EXCEL.EXE", 0x014C)
    found = office.detect(
        _registry({office.EXCEL_APP_PATH: f'"{exe}"', office.CLICK_TO_RUN: "x64"})
    )
    assert found == office.Office(32, f"Excel 程序 {exe}")


def test_a_file_that_is_not_an_executable_falls_back_to_the_registry(tmp_path):
    fake = tmp_path / "EXCEL.EXE"
    fake.write_bytes(b"not a program")
    found = office.detect(_registry({office.EXCEL_APP_PATH: str(fake), office.CLICK_TO_RUN: "x64"}))
    assert found.bits == 64 and "注册表" in found.source


@pytest.mark.parametrize(("machine", "bits"), [(0x8664, 64), (0x014C, 32), (0x0200, None)])
def test_the_pe_machine_field_gives_the_bitness(tmp_path, machine, bits):
    assert office.pe_bits(_exe(tmp_path / "x.exe", machine)) == bits


def test_no_office_at_all_is_none():
    assert office.detect(_registry({})) is None
    assert office.pe_bits(Path("/nonexistent/EXCEL.EXE")) is None


@pytest.fixture
def venv_with_only_the_64_bit_dll(tmp_path) -> inst.Profile:
    profile = inst.Profile.under(tmp_path / "李四")
    venv = profile.localappdata / "jinguo_xl" / "venv"
    (venv / "Scripts").mkdir(parents=True)
    (venv / "Scripts" / "pythonw.exe").write_bytes(b"")
    (venv / f"xlwings64-{VER}.dll").write_bytes(b"")
    inst.install(
        DEFAULT_OUTPUT,
        profile,
        interpreter=venv / "Scripts" / "pythonw.exe",
        excel_running=lambda: False,
    )
    return profile


def test_status_names_the_dll_a_32_bit_office_needs_and_finds_it_missing(
    venv_with_only_the_64_bit_dll,
):
    state = inst.status(venv_with_only_the_64_bit_dll, office=office.Office(32, "注册表 X"))
    assert state.dlls == (f"xlwings32-{VER}.dll",) and state.dll_found is False
    assert "Office：32 位（依据：注册表 X）" in state.lines()
    assert any(f"找不到 Excel 所需的 xlwings32-{VER}.dll" in line for line in state.lines())


def test_status_finds_the_dll_a_64_bit_office_needs(venv_with_only_the_64_bit_dll):
    state = inst.status(venv_with_only_the_64_bit_dll, office=office.Office(64, "注册表 X"))
    assert state.dll_found is True
    assert f"Excel 所需的 xlwings64-{VER}.dll：已在 Python 环境中找到" in state.lines()


def test_status_without_office_asks_for_both_dlls(venv_with_only_the_64_bit_dll):
    state = inst.status(venv_with_only_the_64_bit_dll, office=None)
    assert state.dlls == (f"xlwings64-{VER}.dll", f"xlwings32-{VER}.dll")
    assert state.dll_found is False
    assert "Office：未找到 Excel，无法判断是 32 位还是 64 位" in state.lines()
