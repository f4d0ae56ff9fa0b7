"""``jinguo-xl addin bundle``: one zip that installs the add-in on a Windows PC with no network.

County offices often sit on a government network that reaches no package index, and a clerk
should not need a command prompt. A maintainer with internet runs this command once; it

1. builds this project's wheel and downloads the Windows wheels of every dependency for each
   supported Python (64-bit: pandas publishes no 32-bit Windows wheels since 2.1, so a 32-bit
   Python cannot be served; 32-bit *Office* is served all the same, see ``office.py``);
2. adds what pip leaves out when it resolves for another OS: pip evaluates environment markers
   for the machine it runs on, so ``pywin32; platform_system == "Windows"`` (xlwings) would be
   missing. The closure is walked here with Windows' markers until nothing is missing;
3. checks, offline, that pip resolves the whole install from the bundle alone for every Python
   and that the Windows closure is complete, and only then writes the zip: the add-in, the
   template, ``安装.bat``/``卸载.bat`` (:mod:`winbat`), a short 说明.txt and ``wheels/``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jinguo_xl.errors import JinguoError
from jinguo_xl.writers.atomic import atomic_path
from jinguo_xl.xlam import winbat

PYTHONS = ("3.11", "3.12", "3.13", "3.14", "3.15")
PLATFORM = "win_amd64"
PACKAGE = "jinguo-xl"
FOLDER = "jinguo_xl-windows"
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = PROJECT_ROOT / "templates" / "统计表模板_2020.xlsx"


class BundleError(JinguoError):
    """The offline bundle cannot be made complete; nothing is written."""


def windows_markers(python: str) -> dict[str, str]:
    """The marker environment of a 64-bit CPython ``python`` on Windows."""
    return {
        "os_name": "nt",
        "sys_platform": "win32",
        "platform_system": "Windows",
        "platform_machine": "AMD64",
        "platform_release": "10",
        "platform_version": "10.0.19045",
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "implementation_version": f"{python}.0",
        "extra": "",
    }


def _supported_tags(python: str) -> set:
    from packaging import tags

    version = tuple(int(p) for p in python.split("."))
    abi = f"cp{version[0]}{version[1]}"
    found = set(tags.cpython_tags(version, abis=[abi, "abi3", "none"], platforms=[PLATFORM]))
    found |= set(tags.compatible_tags(version, interpreter=abi, platforms=[PLATFORM]))
    return found


@dataclass(frozen=True)
class _Wheel:
    name: str
    version: object
    path: Path
    tags: frozenset


def _wheels(folder: Path) -> list[_Wheel]:
    from packaging.utils import canonicalize_name, parse_wheel_filename

    found = []
    for path in sorted(folder.glob("*.whl")):
        name, version, _, wheel_tags = parse_wheel_filename(path.name)
        found.append(_Wheel(canonicalize_name(name), version, path, frozenset(wheel_tags)))
    return found


def _metadata(wheel: Path) -> tuple[list[str], str]:
    """``Requires-Dist`` lines and ``Requires-Python`` of a wheel's METADATA."""
    from email.parser import Parser

    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(z.read(meta).decode("utf-8"))
    return message.get_all("Requires-Dist") or [], message.get("Requires-Python") or ""


def missing_for_windows(folder: Path, python: str, roots: Iterable[str] = (PACKAGE,)) -> list[str]:
    """Requirements a Windows install of ``roots`` on ``python`` needs that no wheel in
    ``folder`` satisfies, with Windows' markers; empty when the folder is complete."""
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name

    env = windows_markers(python)
    supported = _supported_tags(python)
    metadata = {w.path: _metadata(w.path) for w in _wheels(folder) if w.tags & supported}
    available = [
        w
        for w in _wheels(folder)
        if w.path in metadata and SpecifierSet(metadata[w.path][1]).contains(f"{python}.0")
    ]
    missing: list[str] = []
    seen: set[str] = set()
    queue = [Requirement(r) for r in roots]
    while queue:
        req = queue.pop()
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        fits = [w for w in available if w.name == name and req.specifier.contains(w.version, True)]
        if not fits:
            missing.append(str(req).split(";")[0].strip())
            continue
        best = max(fits, key=lambda w: w.version)
        queue += [Requirement(r) for r in metadata[best.path][0]]
    return sorted(missing)


def pip_resolution_problems(folder: Path, python: str, roots: Iterable[str] = (PACKAGE,)) -> str:
    """What pip says when it resolves ``roots`` from ``folder`` alone (no index) for 64-bit
    Windows and ``python``; empty when it resolves. Nothing is installed (``--dry-run``).

    pip checks ``Requires-Python`` of what it would install against the interpreter running
    it, not ``--python-version``; so that check is left to :func:`missing_for_windows`, which
    makes it for the target Python, and pip checks names, versions and wheel tags."""
    with tempfile.TemporaryDirectory() as target:
        done = subprocess.run(
            [
                sys.executable, "-m", "pip", "install", "--dry-run", "--quiet",
                "--disable-pip-version-check", "--no-index", "--find-links", str(folder),
                "--only-binary=:all:", "--platform", PLATFORM, "--python-version", python,
                "--implementation", "cp", "--ignore-requires-python", "--target", target,
                "--report", "-", *roots,
            ],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.startswith("ERROR")]
        return "\n".join(lines) or done.stderr.strip()[-500:] or f"pip 退出码 {done.returncode}"
    report = json.loads(done.stdout)
    names = {item["metadata"]["name"].lower() for item in report.get("install", [])}
    return "" if PACKAGE in names else "pip 的解析结果中没有 jinguo-xl"


def _pip(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", *args, "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise BundleError(f"pip {args[0]} 失败（需要能访问 PyPI 的网络）：\n{tail}")


def download(folder: Path, pythons: Iterable[str], project_root: Path = PROJECT_ROOT) -> None:
    """This project's wheel and every Windows wheel it needs for each Python, into ``folder``."""
    if not (project_root / "pyproject.toml").is_file():
        raise BundleError(
            f"找不到本项目的源代码（{project_root} 中没有 pyproject.toml）："
            "请在本项目的文件夹中运行 jinguo-xl addin bundle"
        )
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # Built from a copy: a build in place leaves build/ and egg-info in the source tree.
        source = Path(tmp) / "src"
        shutil.copytree(
            project_root / "jinguo_xl",
            source / "jinguo_xl",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(project_root / name, source / name)
        _pip("wheel", "--no-deps", "--quiet", "--wheel-dir", str(folder), str(source))
    ours = max(folder.glob("jinguo_xl-*.whl"), key=lambda p: p.stat().st_mtime)
    for python in pythons:
        wanted = [str(ours)]
        for _ in range(5):
            _pip(
                "download", "--quiet", "--only-binary=:all:", "--platform", PLATFORM,
                "--python-version", python, "--implementation", "cp",
                "--dest", str(folder), *wanted,
            )  # fmt: skip
            wanted = missing_for_windows(folder, python)
            if not wanted:
                break


def missing_dlls(folder: Path, python: str) -> list[str]:
    """The xlwings DLLs (32- and 64-bit Excel) absent from the xlwings wheel ``python`` gets:
    the add-in loads one of them from the environment's root, where the wheel's data goes."""
    supported = _supported_tags(python)
    wheels = [w for w in _wheels(folder) if w.name == "xlwings" and w.tags & supported]
    if not wheels:
        return []  # reported as a missing package
    best = max(wheels, key=lambda w: w.version)
    with zipfile.ZipFile(best.path) as z:
        names = {Path(n).name for n in z.namelist() if ".data/data/" in n}
    wanted = [f"xlwings{bits}-{best.version}.dll" for bits in (64, 32)]
    return [name for name in wanted if name not in names]


def verify(folder: Path, pythons: Iterable[str]) -> list[str]:
    """Every way an offline install from ``folder`` would fail, per Python; empty when none."""
    found = []
    for python in pythons:
        missing = missing_for_windows(folder, python)
        if missing:
            found.append(f"Python {python}：缺少 {'、'.join(missing)} 的 Windows 安装包")
        dlls = missing_dlls(folder, python)
        if dlls:
            found.append(f"Python {python}：xlwings 的安装包中没有 {'、'.join(dlls)}")
        said = pip_resolution_problems(folder, python)
        if said:
            found.append(f"Python {python}：pip 无法离线解析：{said}")
    return found


def readme(pythons: Iterable[str]) -> str:
    """说明.txt: what the clerk and the IT staff need to know, in the bundle itself."""
    listed = "、".join(pythons)
    return "\r\n".join(
        [
            "巾帼统计 jinguo_xl 加载项 —— 离线安装包",
            "",
            "1. 先安装 Python（只需一次）：从 https://www.python.org/downloads/windows/ 下载"
            f" Python {listed} 中任一版本的 Windows installer (64-bit)，",
            "   安装时保留“py launcher”选项（默认已勾选）。"
            "没有网络的电脑可由信息技术人员拷入安装程序。",
            "2. 关闭所有 Excel 窗口，双击本文件夹中的“安装.bat”。安装不需要联网，"
            "程序装在 %LOCALAPPDATA%\\jinguo_xl\\venv。",
            "3. 重新打开 Excel，功能区出现“巾帼统计”选项卡。"
            "统计表模板为本文件夹中的 统计表模板_2020.xlsx。",
            "4. 卸载：关闭 Excel，双击“卸载.bat”。",
            "",
            "需要信息技术人员允许的事项：运行 python.org 的安装程序；在用户目录中运行 Python 和"
            " .bat 文件；Excel 加载项"
            "（本加载项放在 Excel 默认信任的 XLSTART 文件夹，不需要改宏设置）。"
            "32 位和 64 位的 Office 都可以使用；Python 必须是 64 位。",
            "",
        ]
    )


def assemble(output: Path, folder: Path, pythons: tuple[str, ...], xlam: Path, template: Path
             ) -> list[str]:  # fmt: skip
    """Write the zip (atomically) from checked parts; returns the names it holds."""
    from jinguo_xl.xlam.install import ADDIN_NAME

    wheels = sorted(folder.glob("*.whl"))
    if not any(w.name.startswith("jinguo_xl-") for w in wheels):
        raise BundleError(f"{folder} 中没有本项目的 wheel（jinguo_xl-*.whl）")
    for part in (xlam, template):
        if not part.is_file():
            raise BundleError(f"找不到 {part}：请先运行 jinguo-xl addin build")
    files: list[tuple[str, bytes, int]] = [
        ("安装.bat", winbat.encode(winbat.install_bat(pythons, ADDIN_NAME)), zipfile.ZIP_DEFLATED),
        ("卸载.bat", winbat.encode(winbat.uninstall_bat()), zipfile.ZIP_DEFLATED),
        ("说明.txt", readme(pythons).encode("utf-8-sig"), zipfile.ZIP_DEFLATED),
        (ADDIN_NAME, xlam.read_bytes(), zipfile.ZIP_DEFLATED),
        (template.name, template.read_bytes(), zipfile.ZIP_DEFLATED),
    ]
    # Wheels are zips already: stored as they are.
    files += [(f"wheels/{w.name}", w.read_bytes(), zipfile.ZIP_STORED) for w in wheels]
    with atomic_path(Path(output), suffix=".zip") as tmp, zipfile.ZipFile(tmp, "w") as z:
        for name, data, method in files:
            info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=ZIP_TIME)
            info.compress_type = method
            z.writestr(info, data)
    return [name for name, _, _ in files]


def make_bundle(
    output: Path,
    pythons: tuple[str, ...] = PYTHONS,
    wheels_from: Path | None = None,
    xlam: Path | None = None,
) -> list[str]:
    """Download (or take ``wheels_from``), verify offline, then write the zip."""
    from jinguo_xl.xlam.build import DEFAULT_OUTPUT

    bad = [p for p in pythons if not re.fullmatch(r"3\.1[1-9]", p)]
    if bad:
        raise BundleError(f"不支持的 Python 版本：{'、'.join(bad)}（支持 3.11 及以上）")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "wheels"
        if wheels_from is not None:
            shutil.copytree(wheels_from, folder)
        else:
            download(folder, pythons)
        problems = verify(folder, pythons)
        if problems:
            listed = "\n".join(f"- {p}" for p in problems)
            raise BundleError(f"离线安装包不完整，未写出：\n{listed}")
        return assemble(output, folder, pythons, xlam or DEFAULT_OUTPUT, TEMPLATE)
