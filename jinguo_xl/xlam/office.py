"""Which Office is installed, 32-bit or 64-bit, and so which xlwings DLL the add-in will load.

The add-in's ``xlwings`` module declares ``xlwings64-<ver>.dll`` under ``#If Win64`` and
``xlwings32-<ver>.dll`` otherwise: ``Win64`` is the *Excel* process's bitness, whatever the
Python's. The UDF server runs in its own process, so a 64-bit Python serves a 32-bit Excel as
long as the 32-bit DLL sits beside it; xlwings' Windows wheel installs both into the
environment's root. ``addin status`` reports what it found here: Excel's own executable (its PE
header says which machine it was built for), else the registry values Office writes
(Click-to-Run ``Platform``, MSI ``Outlook\\Bitness``). All reads go through a
:data:`RegistryRead` function so the logic runs on any OS against a fake registry.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# A full value path such as r"HKLM\SOFTWARE\...\Platform" -> its string value, or None.
RegistryRead = Callable[[str], "str | None"]

# Ends in a backslash: the key's default value, Excel's full path.
EXCEL_APP_PATH = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\excel.exe" + "\\"
CLICK_TO_RUN = r"HKLM\SOFTWARE\Microsoft\Office\ClickToRun\Configuration\Platform"
MSI_BITNESS = (
    r"HKLM\SOFTWARE\Microsoft\Office\{ver}\Outlook\Bitness",
    r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Office\{ver}\Outlook\Bitness",
)
OFFICE_VERSIONS = ("16.0", "15.0", "14.0")  # 2016–365, 2013, 2010
_PE_MACHINES = {0x8664: 64, 0xAA64: 64, 0x014C: 32}
_REGISTRY_BITS = {"x64": 64, "x86": 32}


@dataclass(frozen=True)
class Office:
    """Office's bitness and where it was read, for a line the clerk or IT can check."""

    bits: int
    source: str

    def dll(self, version: str) -> str:
        return f"xlwings{self.bits}-{version}.dll"


def pe_bits(exe: Path) -> int | None:
    """32 or 64 from a Windows executable's PE header; None when it is not one."""
    try:
        with open(exe, "rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    if head[:2] != b"MZ" or len(head) < 0x40:
        return None
    (offset,) = struct.unpack_from("<I", head, 0x3C)
    if offset + 6 > len(head) or head[offset : offset + 4] != b"PE\0\0":
        return None
    (machine,) = struct.unpack_from("<H", head, offset + 4)
    return _PE_MACHINES.get(machine)


def detect(read: RegistryRead) -> Office | None:
    """Office's bitness from Excel's executable, else from the registry; None if not found."""
    exe = read(EXCEL_APP_PATH)
    if exe:
        path = Path(exe.strip('"'))
        bits = pe_bits(path)
        if bits:
            return Office(bits, f"Excel 程序 {path}")
    keys = [CLICK_TO_RUN] + [k.format(ver=v) for v in OFFICE_VERSIONS for k in MSI_BITNESS]
    for key in keys:
        value = (read(key) or "").strip().lower()
        if value in _REGISTRY_BITS:
            return Office(_REGISTRY_BITS[value], f"注册表 {key}")
    return None


def windows_registry(path: str) -> str | None:
    """:data:`RegistryRead` over the real registry (64-bit view); None off Windows or if absent.

    A path ending in a backslash reads the key's default value."""
    if sys.platform != "win32":
        return None
    import winreg

    hive, _, rest = path.partition("\\")
    key, _, name = rest.rpartition("\\")
    root = {"HKLM": winreg.HKEY_LOCAL_MACHINE, "HKCU": winreg.HKEY_CURRENT_USER}[hive]
    try:
        access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        with winreg.OpenKey(root, key.rstrip("\\"), 0, access) as handle:
            value, _ = winreg.QueryValueEx(handle, name)
    except OSError:
        return None
    return str(value)
