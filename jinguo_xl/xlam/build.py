"""``jinguo-xl addin build``: the ``.xlam`` add-in, written on any OS from text sources.

The add-in is xlwings' own ribbon add-in template with four modules in it:

- ``xlwings``: xlwings' custom-add-in module of the *installed* version (its ``Declare``
  names ``xlwings64-<version>.dll``, which only that exact wheel installs), project ``jinguo_xl``;
- ``JinguoRibbon``: the one ribbon callback (``addin/JinguoRibbon.bas``);
- ``xlwings_udfs``: the ``JINGUO_*`` wrappers, written by xlwings' own generator;
- ``JinguoUdfHelp``: the function wizard's Chinese help;

plus ``addin/customUI14.xml`` and a config sheet. Every source is checked before anything is
written; the VBA project pyOpenVBA writes is brought to the letter of MS-OVBA
(:mod:`~jinguo_xl.xlam.conform`), read back module by module, and checked by our own reading
of the spec (:mod:`~jinguo_xl.xlam.ovba`): the build fails on any deviation.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from jinguo_xl.writers.atomic import atomic_path
from jinguo_xl.xlam import conform, ovba, package, ribbon, udfgen, vba

SOURCE_DIR = Path(__file__).resolve().parents[2] / "addin"
DEFAULT_OUTPUT = SOURCE_DIR / "jinguo_xl.xlam"
PROJECT_NAME = "jinguo_xl"
TITLE = "巾帼统计 jinguo_xl 加载项"
# Only keys with values (see package.config_sheet). The wrappers name their Python module
# themselves; "UDF Modules" is for a developer who re-imports functions on Windows. The user's
# folder is kept off sys.path so a stray pandas.py beside a workbook cannot shadow a library.
CONF_ROWS = [("UDF Modules", udfgen.UDF_MODULE), ("ADD_WORKBOOK_TO_PYTHONPATH", "false")]
OUR_MODULES = ("xlwings", "JinguoRibbon", "xlwings_udfs", "JinguoUdfHelp")
TEMPLATE_MODULES_DROPPED = ("RibbonMyAddin",)


@dataclass(frozen=True)
class AddinSources:
    """Everything that goes into the add-in, checked: module texts (CRLF), ribbon, UDFs."""

    modules: dict[str, str]
    ribbon_xml: str
    udfs: list[udfgen.UdfInfo]


def xlwings_module() -> str:
    """xlwings' custom-add-in module for the installed xlwings, named for this project."""
    import xlwings

    source = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_text("utf-8")
    version_line = f'Public Const XLWINGS_VERSION As String = "{xlwings.__version__}"'
    name_line = 'Public Const PROJECT_NAME As String = "myaddin"'
    if (
        version_line not in source
        or source.count(name_line) != 1
        or _dll_for_win64(source, xlwings.__version__) != (64, 32)
    ):
        raise vba.VBAError(
            f"xlwings {xlwings.__version__} 自带的加载项模块与预期不符，无法构建；"
            "请安装 pyproject.toml 中固定的 xlwings 版本"
        )
    return vba.to_crlf(
        source.replace(name_line, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"')
    )


def _dll_for_win64(source: str, version: str) -> tuple[int, int] | None:
    """(bits named under ``#If Win64``, bits named under its ``#Else``): the DLL the add-in
    loads follows Excel's bitness, so 32-bit Office must get ``xlwings32-<ver>.dll``."""
    block = re.search(r"#If Win64 Then(.*?)#Else(.*?)#End If", source, re.DOTALL)
    if block is None:
        return None
    named = []
    for part in block.groups():
        bits = set(re.findall(rf"xlwings(32|64)-{re.escape(version)}\.dll", part))
        if len(bits) != 1:
            return None
        named.append(int(bits.pop()))
    return named[0], named[1]


def collect(source_dir: Path = SOURCE_DIR) -> AddinSources:
    """Read and generate every module, and refuse anything Excel would choke on."""
    from jinguo_xl.excel.macros import HANDLERS

    missing = [n for n in ("JinguoRibbon.bas", "customUI14.xml") if not (source_dir / n).is_file()]
    if missing:
        raise vba.VBAError(
            f"找不到加载项源文件 {'、'.join(missing)}（应在 {source_dir}）："
            "请在本项目的文件夹（含 addin/ 的源代码）中运行 jinguo-xl addin build"
        )
    ribbon_module = (source_dir / "JinguoRibbon.bas").read_text("utf-8")
    ribbon_xml = (source_dir / "customUI14.xml").read_text("utf-8")
    udf_text, udfs = udfgen.generate()
    modules = {
        "xlwings": xlwings_module(),
        "JinguoRibbon": vba.to_crlf(vba.expand_text(ribbon_module)),
        "xlwings_udfs": vba.to_crlf(udf_text),
        "JinguoUdfHelp": vba.to_crlf(udfgen.help_module(udfs)),
    }
    found = [p for name, text in modules.items() for p in vba.module_problems(name, text)]
    found += vba.udf_problems({u.name: u.params for u in udfs}, modules)
    found += ribbon.problems(ribbon_xml, modules, set(HANDLERS))
    found += _duplicate_procedures(modules)
    if not udfs:
        found.append(f"{udfgen.UDF_MODULE} 中没有找到任何 @xw.func 函数")
    vba.raise_if(found)
    return AddinSources(modules=modules, ribbon_xml=ribbon_xml, udfs=udfs)


def _duplicate_procedures(modules: dict[str, str]) -> list[str]:
    """A public name in two modules makes Excel stop with "Ambiguous name detected"."""
    owners: dict[str, list[str]] = {}
    for module, text in modules.items():
        # Within one module a name may appear twice under #If Mac / #Else; that compiles.
        for proc in {p for p, _ in vba.public_procedures(text)}:
            owners.setdefault(proc.casefold(), []).append(f"{module}.{proc}")
    return [f"公共过程重名：{'、'.join(o)}" for o in owners.values() if len(o) > 1]


def _template() -> bytes:
    import xlwings

    return (Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam").read_bytes()


def build(output: Path = DEFAULT_OUTPUT, source_dir: Path = SOURCE_DIR) -> AddinSources:
    """Write the add-in to ``output`` (atomically) and return what went into it."""
    from pyopenvba import ExcelFile

    sources = collect(source_dir)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "jinguo_xl.xlam"
        work.write_bytes(_template())
        with ExcelFile(work) as book:
            project = book.vba_project()
            for name in TEMPLATE_MODULES_DROPPED:
                project.delete_module(name)
            book.set_module("xlwings", sources.modules["xlwings"])
            for name in OUR_MODULES[1:]:
                project.add_module(name, sources.modules[name])
            book.save()
        with zipfile.ZipFile(work) as written:
            vba_bin = conform.conform(written.read(ovba.VBA_PART), PROJECT_NAME)
        data = package.finish(
            work.read_bytes(), sources.ribbon_xml, CONF_ROWS, TITLE, vba_project=vba_bin
        )
        final = Path(tmp) / "final.xlam"
        final.write_bytes(data)
        _read_back_equal(final, sources)
    vba.raise_if(ovba.xlam_problems(data, PROJECT_NAME))
    with atomic_path(Path(output), suffix=".xlam") as tmp_path:
        tmp_path.write_bytes(data)
    return sources


def _read_back_equal(path: Path, sources: AddinSources) -> None:
    """pyOpenVBA silently rewrites text it cannot store: compare what it stored with our text."""
    from pyopenvba import ExcelFile

    with ExcelFile(path) as book:
        stored = book.vba_modules()
        problems = book.validate()
    for name, text in sources.modules.items():
        if stored.get(name) != text:
            problems.append(f"模块 {name} 写入后读回的内容与源文件不同")
    vba.raise_if(problems)
