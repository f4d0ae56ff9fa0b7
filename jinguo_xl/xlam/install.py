"""``jinguo-xl addin install | remove | status``: the add-in on a Windows user's Excel.

What xlwings' own ``addin install`` does for a custom add-in is copy the file into XLSTART,
starting a hidden Excel to ask where that is; it writes no config, so the add-in would run the
first ``python`` on PATH, without this package. This installer finds XLSTART from the profile
without starting Excel, copies the add-in byte for byte (a fresh file carries no "Mark of the
Web", which would block its macros), and writes the user config the add-in reads
(``%USERPROFILE%\\.jinguo_xl\\jinguo_xl.conf``) naming this environment's ``pythonw.exe``.
Every path is taken from a :class:`Profile`, so the whole job runs on any OS against a
temporary folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from jinguo_xl.errors import JinguoError
from jinguo_xl.writers.atomic import atomic_path
from jinguo_xl.xlam.office import Office

ADDIN_NAME = "jinguo_xl.xlam"
CONFIG_KEY = "INTERPRETER_WIN"
# VBA reads the config file with ``Input #``, in the ANSI code page: cp936 on a Chinese Windows.
ANSI_FALLBACK = "gbk"
# Written as %VAR% so the file stays ASCII whatever the user's name; the add-in expands it.
_PORTABLE_VARS = ("LOCALAPPDATA", "APPDATA", "USERPROFILE")


class AddinInstallError(JinguoError):
    """The add-in cannot be installed, removed or inspected as asked."""


@dataclass(frozen=True)
class Profile:
    """The folders of one Windows user that Excel and the add-in look in."""

    userprofile: Path
    appdata: Path
    localappdata: Path

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> Profile:
        """The current Windows user's profile; elsewhere there is none to install into."""
        env = os.environ if env is None else env
        if not all(env.get(k) for k in ("USERPROFILE", "APPDATA")):
            raise AddinInstallError(
                "加载项只能安装到 Windows 版 Excel（本机找不到 Windows 用户目录）；"
                "在其他系统上演练可加 --profile 文件夹"
            )
        user = Path(env["USERPROFILE"])
        return cls(
            userprofile=user,
            appdata=Path(env["APPDATA"]),
            localappdata=Path(env.get("LOCALAPPDATA") or user / "AppData" / "Local"),
        )

    @classmethod
    def under(cls, root: Path) -> Profile:
        """A profile laid out as Windows lays one out, rooted at ``root`` (for trials, tests)."""
        root = Path(root)
        return cls(root, root / "AppData" / "Roaming", root / "AppData" / "Local")

    @property
    def xlstart(self) -> Path:
        """Excel's per-user start-up folder: a trusted location, opened at every start."""
        return self.appdata / "Microsoft" / "Excel" / "XLSTART"

    @property
    def addin(self) -> Path:
        return self.xlstart / ADDIN_NAME

    @property
    def config_file(self) -> Path:
        """Where xlwings' add-in module looks for the user config of project ``jinguo_xl``."""
        return self.userprofile / ".jinguo_xl" / "jinguo_xl.conf"

    def variables(self) -> dict[str, Path]:
        return {
            "LOCALAPPDATA": self.localappdata,
            "APPDATA": self.appdata,
            "USERPROFILE": self.userprofile,
        }


def excel_interpreter(executable: str | None = None) -> Path:
    """The interpreter the add-in should start: ``pythonw.exe`` beside this one (no console
    window flashing up at each click), else this one."""
    exe = Path(executable or sys.executable)
    windowless = exe.with_name("pythonw.exe")
    return windowless if windowless.exists() else exe


def ansi_encoding() -> str:
    """The code page VBA's ``Input #`` reads text files in on this machine."""
    return "mbcs" if sys.platform == "win32" else ANSI_FALLBACK


def portable(path: Path, profile: Profile) -> str:
    """``path`` written with a leading ``%LOCALAPPDATA%``-style variable where one fits."""
    text = str(path)
    sep = "\\"  # the file is read by Windows Excel
    for var in _PORTABLE_VARS:
        base = str(profile.variables()[var])
        if text.casefold() == base.casefold() or text.casefold().startswith(
            base.casefold() + os.sep
        ):
            rest = text[len(base) :].lstrip("\\/").replace(os.sep, sep)
            return f"%{var}%" + (sep + rest if rest else "")
    return text


def _key_and_value(line: str) -> tuple[str, str]:
    """``"KEY","VALUE"`` as xlwings writes config lines; keys compare case-insensitively."""
    key, _, value = line.partition(",")
    return key.strip().strip('"').upper(), value.strip().strip('"')


def _other_lines(text: str) -> list[str]:
    """The user's own config lines: every non-blank line but our interpreter line."""
    return [
        line for line in text.splitlines() if line.strip() and _key_and_value(line)[0] != CONFIG_KEY
    ]


def _read_config(path: Path) -> str:
    return path.read_bytes().decode(ansi_encoding(), errors="replace") if path.exists() else ""


def config_lines(existing: str, interpreter: str) -> str:
    """The user config with our interpreter line set and every other line kept."""
    return "\r\n".join([*_other_lines(existing), f'"{CONFIG_KEY}","{interpreter}"']) + "\r\n"


def _excel_is_running() -> bool:
    if sys.platform != "win32":
        return False
    listing = subprocess.run(
        ["tasklist", "/FI", "IMAGENAME eq EXCEL.EXE", "/NH"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "excel.exe" in listing.stdout.casefold()


def _refuse_while_excel_runs(excel_running: Callable[[], bool], verb: str) -> None:
    if excel_running():
        raise AddinInstallError(
            f"Excel 正在运行，加载项文件被占用：请先关闭所有 Excel 窗口（含后台进程），再{verb}"
        )


@dataclass(frozen=True)
class InstallResult:
    """What was written, for the CLI to tell the clerk."""

    addin: Path
    config_file: Path
    interpreter: str


def install(
    source: Path,
    profile: Profile,
    *,
    interpreter: Path | None = None,
    excel_running: Callable[[], bool] = _excel_is_running,
) -> InstallResult:
    """Copy the add-in into XLSTART and point the add-in at this environment's Python."""
    source = Path(source)
    if not source.is_file():
        raise AddinInstallError(f"找不到加载项文件：{source}，请先运行 jinguo-xl addin build")
    _refuse_while_excel_runs(excel_running, "安装")
    interpreter_text = portable(interpreter or excel_interpreter(), profile)
    encoding = ansi_encoding()
    try:
        interpreter_text.encode(encoding)
    except UnicodeEncodeError:
        raise AddinInstallError(
            f"Python 所在路径“{interpreter_text}”含有 Excel 无法识别的字符；"
            "请把 Python 环境放在只含英文和数字的文件夹中再安装"
        ) from None
    data = source.read_bytes()  # a fresh file: no Zone.Identifier stream comes along
    with atomic_path(profile.addin, suffix=".xlam") as tmp:
        tmp.write_bytes(data)
    conf = profile.config_file
    with atomic_path(conf, suffix=".conf") as tmp:
        tmp.write_bytes(config_lines(_read_config(conf), interpreter_text).encode(encoding))
    return InstallResult(profile.addin, conf, interpreter_text)


def remove(
    profile: Profile, *, excel_running: Callable[[], bool] = _excel_is_running
) -> list[Path]:
    """Take the add-in out of XLSTART and our line out of the user config; return what changed."""
    _refuse_while_excel_runs(excel_running, "移除")
    changed = []
    if profile.addin.exists():
        profile.addin.unlink()
        changed.append(profile.addin)
    conf = profile.config_file
    if conf.exists():
        lines = _other_lines(_read_config(conf))
        if lines:
            with atomic_path(conf, suffix=".conf") as tmp:
                tmp.write_bytes(("\r\n".join(lines) + "\r\n").encode(ansi_encoding()))
        else:
            conf.unlink()
            if not any(conf.parent.iterdir()):
                conf.parent.rmdir()
        changed.append(conf)
    return changed


@dataclass(frozen=True)
class Status:
    """The state of the add-in for one user, each line something the clerk can check."""

    installed: bool
    addin: Path
    same_as_built: bool | None
    interpreter: str | None
    interpreter_exists: bool | None
    dll_found: bool | None
    office: Office | None = None
    dlls: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        out = [
            f"加载项：{'已安装' if self.installed else '未安装'}（{self.addin}）",
        ]
        if self.same_as_built is False:
            out.append("已安装的加载项与当前构建的版本不同，请重新运行 jinguo-xl addin install")
        if self.interpreter is None:
            out.append("用户配置：未写入 Python 路径，按钮会找不到 jinguo_xl，请运行 addin install")
        else:
            state = {True: "存在", False: "不存在，请重新安装", None: "未检查"}
            out.append(f"Python：{self.interpreter}（{state[self.interpreter_exists]}）")
        if self.office is None:
            out.append("Office：未找到 Excel，无法判断是 32 位还是 64 位")
        else:
            out.append(f"Office：{self.office.bits} 位（依据：{self.office.source}）")
        names = "、".join(self.dlls)
        if self.dll_found is True:
            out.append(f"Excel 所需的 {names}：已在 Python 环境中找到")
        elif self.dll_found is False:
            out.append(
                f"找不到 Excel 所需的 {names}：请在该 Python 环境中重新安装本软件"
                "（双击离线安装包中的“安装.bat”）"
            )
        return out


def needed_dlls(office: Office | None) -> tuple[str, ...]:
    """The xlwings DLL the add-in's ``#If Win64`` branch will load; both when Office is unknown."""
    import xlwings

    if office is None:
        return tuple(f"xlwings{bits}-{xlwings.__version__}.dll" for bits in (64, 32))
    return (office.dll(xlwings.__version__),)


def _dlls_present(interpreter: Path, names: tuple[str, ...]) -> bool:
    """Where the add-in's ``XLPyLoadDLL`` looks: beside the interpreter, then its parent (a
    venv's root, where xlwings' wheel puts both DLLs)."""
    folders = (interpreter.parent, interpreter.parent.parent)
    return all(any((d / name).exists() for d in folders) for name in names)


def _office_here() -> Office | None:
    from jinguo_xl.xlam.office import detect, windows_registry

    return detect(windows_registry) if sys.platform == "win32" else None


def status(
    profile: Profile,
    built: Path | None = None,
    office: Office | Callable[[], Office | None] | None = _office_here,
) -> Status:
    """Installed or not, same bytes as ``built`` or not, which Python the add-in will run,
    which Office bitness was found and whether the DLL it needs is there."""
    installed = profile.addin.is_file()
    same = None
    if installed and built is not None and built.is_file():
        same = profile.addin.read_bytes() == built.read_bytes()
    interpreter = None
    for line in _read_config(profile.config_file).splitlines():
        key, value = _key_and_value(line)
        if key == CONFIG_KEY:
            interpreter = value
    found_office = office() if callable(office) else office
    dlls = needed_dlls(found_office)
    exists = dll = None
    if interpreter is not None:
        resolved = interpreter
        for var, path in profile.variables().items():
            resolved = resolved.replace(f"%{var}%", str(path))
        resolved_path = Path(resolved.replace("\\", os.sep))
        exists = resolved_path.exists()
        dll = _dlls_present(resolved_path, dlls) if exists else None
    return Status(installed, profile.addin, same, interpreter, exists, dll, found_office, dlls)
