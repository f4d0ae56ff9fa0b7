"""Benchmarks: the engine against named baselines, measured in the same run.

    python benchmarks/run.py            # full corpora (several minutes)
    python benchmarks/run.py --quick    # the same code on tiny corpora (under a minute)

The machine is shared and noisy, so every figure is a median over several runs and is reported
as a ratio to a baseline measured in the same run; absolute seconds are context only. Corpora
are generated with the demo's data generator into a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jinguo_xl.cli import main as cli_main  # noqa: E402
from jinguo_xl.demo import corpus_plans, write_plans  # noqa: E402
from jinguo_xl.excel.sheetcalc import cached_reports, row_problems, table_report  # noqa: E402
from jinguo_xl.rules import load_rules  # noqa: E402
from jinguo_xl.run.files import check_file  # noqa: E402


@dataclass
class Row:
    name: str
    seconds: float | None
    baseline: str = ""
    baseline_seconds: float | None = None
    target: str = ""
    ok: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.seconds is None or not self.baseline_seconds:
            return None
        return self.baseline_seconds / self.seconds


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ---------------------------------------------------------------------- corpora


# What counties really send (issue of 2026-12-04): a 家庭工坊 a few dozen rows, a workshop one
# or two hundred. The small corpus cycles through these sizes, 20 to 150 rows.
SMALL_SIZES = (20, 35, 50, 70, 90, 110, 130, 150)


def make_corpus(folder: Path, files: int, rows: int | tuple[int, ...], seed: int) -> list[Path]:
    rules = load_rules()
    return write_plans(folder, corpus_plans(files, rows, rules), rules, seed=seed)


# ---------------------------------------------------------------------- readers


def read_naive(files: list[Path]) -> None:
    """A clerk's script: pandas with openpyxl, every sheet of every file."""
    import pandas as pd

    for f in files:
        pd.read_excel(f, sheet_name=None, engine="openpyxl", header=None)


def read_calamine(files: list[Path]) -> None:
    """The floor for cell reading: python-calamine into raw values and nothing else."""
    from python_calamine import CalamineWorkbook

    for f in files:
        wb = CalamineWorkbook.from_path(str(f))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def read_unzip(files: list[Path]) -> None:
    """The floor of floors: inflating the sheet XML, no parsing at all."""
    for f in files:
        with zipfile.ZipFile(f) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                    zf.read(name)


def read_engine(files: list[Path]) -> None:
    """The engine's read phase: file → ledger → findings, metrics, status."""
    rules = load_rules()
    for f in files:
        check_file(f, rules=rules)


def _check_chunk(paths: list[str]) -> int:
    rules = load_rules()
    return sum(check_file(p, rules=rules).rows_read for p in paths)


def read_engine_parallel(files: list[Path], workers: int = 2) -> None:
    chunks = [[str(f) for f in files[i::workers]] for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_check_chunk, chunks))


# ---------------------------------------------------------------------- consolidation


def consolidate_engine(folder: Path, out: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        cli_main(["consolidate", str(folder), "-o", str(out), "--json"])


def check_command(folder: Path) -> None:
    """``jinguo-xl check``: every file read in a guarded worker process, as users run it."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        cli_main(["check", "--json", str(folder)])


def consolidate_naive(files: list[Path], out: Path) -> None:
    """The baseline: read every sheet with pandas+openpyxl, concat, group-by sums, to_excel."""
    import pandas as pd

    frames = []
    for f in files:
        for sheet, df in pd.read_excel(f, sheet_name=None, engine="openpyxl", header=None).items():
            df = df.astype(str)
            df.insert(0, "文件", f.name)
            df.insert(1, "工作表", sheet)
            frames.append(df)
    data = pd.concat(frames, ignore_index=True)
    summary = data.groupby(["文件", "工作表"]).size().reset_index(name="行数")
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        data.to_excel(writer, sheet_name="明细", index=False)
        summary.to_excel(writer, sheet_name="汇总", index=False)


def has_consolidate() -> bool:
    try:
        import jinguo_xl.combine.consolidation  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------- writing


def write_openpyxl(rows: list[list[object]], out: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("明细")
    for row in rows:
        ws.append(row)
    wb.save(out)


def write_xlsxwriter(rows: list[list[object]], out: Path) -> None:
    write_bare({"明细": rows}, out)


def master_cells(folder: Path):
    """The consolidation of ``folder`` and the cell values of its master, sheet by sheet."""
    from python_calamine import CalamineWorkbook

    from jinguo_xl.run.batch import build
    from jinguo_xl.run.files import iter_workbooks
    from jinguo_xl.writers.master import write_master

    rules = load_rules()
    result = build(list(iter_workbooks([folder])), rules.year)
    probe = folder.parent / "master_probe.xlsx"
    write_master(probe, result, rules)
    book = CalamineWorkbook.from_path(str(probe))
    cells = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    return result, rules, cells


def write_bare(cells: dict[str, list[list[object]]], out: Path) -> None:
    """The same cells with nothing else: no formats, widths, filters, charts or validation."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_formulas": False})
    for name, rows in cells.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    wb.close()


def synthetic_rows(n: int) -> list[list[object]]:
    return [
        [
            f"示例{i % 997}",
            "城口县",
            f"青山村{i % 9}组",
            f"1380013{i % 10000:04d}",
            "2020-03-05",
            "竹编技艺",
            round((i % 7) * 0.1, 2),
            "贫困妇女",
            "是",
            "",
            f"示例{i % 50}.xlsx",
            i,
        ]
        for i in range(n)
    ]


# ---------------------------------------------------------------------- UDFs


def udf_rows(n: int) -> list[list[object]]:
    import datetime as dt

    rules = load_rules()
    spec = rules.tables["手工制作"]  # the 样表's header, from the rules
    header: list[object] = [spec.header_of(key, rules.columns) for key in spec.columns]
    rows: list[list[object]] = [header]
    given = "春夏秋冬梅兰竹菊玉秀英芳"
    for i in range(n):
        rows.append(
            [
                float(i + 1),
                f"张{given[i % 12]}{given[i // 12 % 12]}",
                f"青山村{i % 9}组",
                float(13800130000 + i),
                dt.datetime(2020, 3, 1 + i % 28),
                "竹编技艺",
                0.5 if i % 3 else None,
                "贫困妇女" if i % 4 else "留守妇女",
                None,
            ]
        )
    return rows


def udf_seconds(n: int, runs: int) -> tuple[float, float, float]:
    """JINGUO_CHECK and JINGUO_STATUS on an ``n``-row table: the first formula after an edit
    (no report cached), and another formula on the same range once one has counted it."""
    grid = udf_rows(n)

    def cold(fn: Callable[[], object]) -> Callable[[], None]:
        def run_once() -> None:
            cached_reports(load_rules()).clear()
            fn()

        return run_once

    check = lambda: row_problems(grid, "手工制作")  # noqa: E731
    status = lambda: table_report(grid, "手工制作", base_type="巾帼扶贫车间")  # noqa: E731
    t_check = median_time(cold(check), runs)
    t_status = median_time(cold(status), runs)
    status()
    return t_check, t_status, median_time(check, runs)


def udf_seconds_apart(n: int, runs: int) -> tuple[float, float, float]:
    """:func:`udf_seconds` in a process of its own, as in the UDF server, which reads one
    clerk's workbook: in this process the parsers' memos are already full from the corpora
    read above, a state no UDF server is in."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--udf-child", str(n), str(runs)],
        check=True,
        capture_output=True,
        text=True,
    )
    check, status, warm = json.loads(out.stdout.splitlines()[-1])
    return check, status, warm


def udf_import_seconds(*, preload_xlwings: bool) -> float | None:
    """Seconds to import the UDF module in a fresh interpreter.

    Inside Excel the module is imported by xlwings' UDF server, which has loaded xlwings (and
    with it pandas) already; ``preload_xlwings`` measures that situation, the cost the first
    JINGUO_* call adds. Without it the figure includes ``import xlwings`` itself.
    """
    pre = "import xlwings; " if preload_xlwings else ""
    code = (
        f"{pre}import time; t=time.perf_counter(); import jinguo_xl.excel.udfs; "
        "print(time.perf_counter()-t)"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            timeout=120,
        )
    except subprocess.CalledProcessError:
        return None
    return float(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------- memory


def peak_rss_mb(folder: Path, out: Path) -> tuple[float, float] | None:
    """(peak RSS of the consolidation process, largest peak of one worker process), in MB.

    Read from /proc's VmHWM in the child: ``ru_maxrss`` would be wrong here, because Linux
    carries a process's high-water mark across fork and exec, so the child would report this
    benchmark's own peak. Worker peaks come from RUSAGE_CHILDREN (workers fork from the child
    while it is still small).
    """
    code = (
        "import sys, resource; from jinguo_xl.cli import main; "
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['consolidate', {str(folder)!r}, '-o', {str(out)!r}, '--json'])\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(int(hwm) / 1024, kids / 1024)"
    )
    try:
        res = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            timeout=3600,
        )
    except subprocess.CalledProcessError:
        return None
    main_mb, worker_mb = map(float, res.stdout.strip().splitlines()[-1].split())
    return main_mb, worker_mb


# ---------------------------------------------------------------------- the template


def fill_template(target: Path, rows: int) -> Path:
    """The committed template as a clerk's tool leaves it: opened and saved by openpyxl (which
    writes every formula out in full), ``rows`` rows typed into 手工制作."""
    import openpyxl

    wb = openpyxl.load_workbook(ROOT / "templates" / "统计表模板_2020.xlsx")
    info = wb["基本信息"]
    for row in range(1, info.max_row + 1):
        value = {"带动基地名称": "示例·基准合作社", "创建基地类型": "巾帼扶贫车间",
                 "所属区县": "城口县"}.get(info.cell(row, 1).value)
        if value:
            info.cell(row, 2, value)
    ws = wb["手工制作"]
    for i in range(rows):
        values = (f"冉{i}", f"城口县鸡鸣乡青山村{i % 40}组", f"1380013{i:04d}",
                  f"2020-03-{1 + i % 28:02d}", "竹编" if i % 2 else "刺绣", 0.3, "贫困妇女")
        for j, value in enumerate(values, start=2):
            ws.cell(5 + i, j, value)
    wb.save(target)
    return target


def without_formula_sheets(source: Path, target: Path) -> Path:
    """The same clerk's data with the template's working sheets and verdict formulas gone:
    what LibreOffice costs for the data alone (the baseline)."""
    import openpyxl

    wb = openpyxl.load_workbook(source)
    for name in ("达标情况", "计算"):
        del wb[name]
    for ws in wb.worksheets:
        for row in ws.iter_rows(max_row=3):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.value = None
    wb.defined_names.clear()
    wb.save(target)
    return target


def libreoffice_print(path: Path, work: Path) -> tuple[float, float] | None:
    """(seconds, peak MB) for LibreOffice to open ``path``, recalculate it and print it to
    PDF, in a child process whose RUSAGE_CHILDREN is LibreOffice's own peak."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    profile = work / "lo-profile"
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True, timeout=600)\n"
        "print(time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    command = [soffice, "--headless", f"-env:UserInstallation=file://{profile}",
               "--convert-to", "pdf", "--outdir", str(work / "pdf"), str(path)]
    try:
        res = subprocess.run([sys.executable, "-c", code, *command], check=True,
                             capture_output=True, text=True)
    except (subprocess.CalledProcessError, OSError):
        return None
    seconds, mb = map(float, res.stdout.split())
    return seconds, mb


def template_rows(work: Path, rows: int) -> list[Row]:
    """The template filled with ``rows`` rows in one table, through LibreOffice, against the
    same data without the template's formulas; its size, and what openpyxl does to it."""
    import warnings

    import openpyxl

    committed = ROOT / "templates" / "统计表模板_2020.xlsx"
    filled = fill_template(work / "模板已填.xlsx", rows)
    bare = without_formula_sheets(filled, work / "只有数据.xlsx")
    # A first run creates LibreOffice's profile (seconds of its own), then the measured runs.
    libreoffice_print(bare, work)
    ours, base = libreoffice_print(filled, work), libreoffice_print(bare, work)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        openpyxl.load_workbook(committed).save(work / "openpyxl 另存.xlsx")
    growth = (work / "openpyxl 另存.xlsx").stat().st_size / committed.stat().st_size
    table = [
        Row(
            "模板文件大小",
            None, "", None, "< 1 MB", committed.stat().st_size < 1_000_000,
            f"{committed.stat().st_size / 1e6:.2f} MB；openpyxl 打开再保存：{growth:.2f} 倍，"
            f"{len(caught)} 个警告",
        )
    ]
    if ours is None or base is None:
        table.append(Row("模板在 LibreOffice 中打开、重算、打印", None, "", None, "", None,
                         "（没有 LibreOffice）"))
        return table
    table.append(
        Row(
            f"模板在 LibreOffice 中打开、重算、打印（一张表 {rows} 行）",
            ours[0],
            "同样的数据，没有模板的公式",
            base[0],
            "< 5 s，< 300 MB",
            ours[0] < 5 and ours[1] < 300,
            f"内存峰值 {ours[1]:.0f} MB（基线 {base[1]:.0f} MB）",
        )
    )
    return table


# ---------------------------------------------------------------------- report


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds:.2f} s"


def print_table(rows: list[Row]) -> None:
    print()
    print(f"{'项目':<40} {'中位数':>10} {'基线':<28} {'基线中位数':>10} {'倍数':>7}  目标 / 结果")
    for r in rows:
        ratio = f"{r.ratio:.2f}×" if r.ratio else "—"
        verdict = "" if r.ok is None else ("达到" if r.ok else "未达到")
        print(
            f"{r.name:<40} {fmt(r.seconds):>10} {r.baseline:<28} "
            f"{fmt(r.baseline_seconds):>10} {ratio:>7}  {r.target} {verdict} {r.note}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny corpora, one run each")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (median)")
    parser.add_argument("--json", type=Path, default=None, help="also write the table as JSON")
    parser.add_argument("--udf-child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.udf_child:  # the cell functions measured in a fresh process (udf_seconds_apart)
        print(json.dumps(udf_seconds(*args.udf_child)))
        return 0
    runs = args.runs or (1 if args.quick else 3)
    if args.quick:
        sizes = {
            "small": 16,
            "municipal": (14, 20),
            "big": (20, 30),
            "scaling": [(5, 30), (10, 30), (20, 30)],
            "write_rows": 5_000,
            "udf_rows": 2_000,
            "template_rows": 50,
        }
    else:
        sizes = {
            "small": 600,
            "municipal": (560, 150),
            "big": (1000, 200),
            "scaling": [(100, 200), (500, 200), (2000, 200)],
            "write_rows": 200_000,
            "udf_rows": 2_000,
            "template_rows": 200,
        }
    print(
        f"机器：{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}；"
        f"每项取 {runs} 次的中位数"
    )
    table: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="jinguo-bench-"))
    try:
        files_n, rows_n = sizes["big"]
        big = make_corpus(work / "big", files_n, rows_n, seed=1)
        label = f"{files_n} 个工作簿 × 约 {rows_n} 行"
        naive = median_time(lambda: read_naive(big), runs)
        engine = median_time(lambda: read_engine(big), runs)
        engine_par = median_time(lambda: read_engine_parallel(big), runs)
        calamine = median_time(lambda: read_calamine(big), runs)
        unzip = median_time(lambda: read_unzip(big), runs)
        table += [
            Row(
                f"读取阶段（{label}，单进程）",
                engine,
                "pandas+openpyxl 读取",
                naive,
                "≥ 8×",
                naive / engine >= 8,
            ),
            Row("读取阶段（2 进程）", engine_par, "pandas+openpyxl 读取", naive),
            Row(
                "check 命令（受保护的工作进程）",
                median_time(lambda: check_command(work / "big"), runs),
                "pandas+openpyxl 读取",
                naive,
            ),
            Row(
                "读取阶段 与 calamine 原始读取",
                engine,
                "python-calamine 原始值",
                calamine,
                "≤ 3× calamine",
                engine <= 3 * calamine,
                f"（引擎是 calamine 的 {engine / calamine:.1f} 倍）",
            ),
            Row(
                "读取阶段 与 解压 XML",
                engine,
                "仅解压 sheet XML",
                unzip,
                "",
                None,
                f"（引擎是解压的 {engine / unzip:.1f} 倍）",
            ),
        ]
        small_n = sizes["small"]
        small = make_corpus(work / "small", small_n, SMALL_SIZES, seed=4)
        s_label = f"{small_n} 个小工作簿 × 20–150 行"
        s_naive = median_time(lambda: read_naive(small), runs)
        s_engine = median_time(lambda: read_engine(small), runs)
        s_calamine = median_time(lambda: read_calamine(small), runs)
        table += [
            Row(f"读取阶段（{s_label}，单进程）", s_engine, "pandas+openpyxl 读取", s_naive),
            Row(
                "读取阶段 与 calamine 原始读取（小工作簿）",
                s_engine,
                "python-calamine 原始值",
                s_calamine,
                "≤ 3× calamine",
                s_engine <= 3 * s_calamine,
                f"（引擎是 calamine 的 {s_engine / s_calamine:.1f} 倍）",
            ),
        ]
        if has_consolidate():
            out = work / "master.xlsx"
            s_e2e = median_time(lambda: consolidate_engine(work / "small", out), runs)
            s_base = median_time(lambda: consolidate_naive(small, work / "naive.xlsx"), runs)
            table.append(
                Row(
                    f"汇总端到端（{s_label}）",
                    s_e2e,
                    "pandas 读取+concat+to_excel",
                    s_base,
                    "≥ 5×",
                    s_base / s_e2e >= 5,
                )
            )
            e2e = median_time(lambda: consolidate_engine(work / "big", out), runs)
            base = median_time(lambda: consolidate_naive(big, work / "naive.xlsx"), runs)
            table.append(
                Row(
                    f"汇总端到端（{label}）",
                    e2e,
                    "pandas 读取+concat+to_excel",
                    base,
                    "≥ 4×",
                    base / e2e >= 4,
                )
            )
            muni_n, muni_rows = sizes["municipal"]
            muni = make_corpus(work / "municipal", muni_n, muni_rows, seed=2)
            m_e2e = median_time(lambda: consolidate_engine(work / "municipal", out), runs)
            m_base = median_time(lambda: consolidate_naive(muni, work / "naive.xlsx"), runs)
            table.append(
                Row(
                    f"汇总端到端（全市 {muni_n} 个 × {muni_rows} 行）",
                    m_e2e,
                    "pandas 读取+concat+to_excel",
                    m_base,
                )
            )
            per_file = []
            for n, rows in sizes["scaling"]:
                folder = work / f"scale{n}"
                make_corpus(folder, n, rows, seed=3)
                t = median_time(lambda folder=folder: consolidate_engine(folder, out), runs)
                per_file.append(t / n)
                table.append(
                    Row(f"规模：{n} 个工作簿", t, "", None, "", None, f"每个 {t / n * 1000:.1f} ms")
                )
            growth = per_file[-1] / per_file[0]
            table.append(
                Row(
                    "规模增长（最大/最小 每个工作簿耗时）",
                    None,
                    "",
                    None,
                    "≤ 1.3",
                    growth <= 1.3,
                    f"{growth:.2f}",
                )
            )
            rss = peak_rss_mb(work / "big", out)
            # Upper bound for the machine: the main process plus two workers at their peak.
            total = None if rss is None else rss[0] + 2 * rss[1]
            table.append(
                Row(
                    f"内存峰值（{label}）",
                    None,
                    "",
                    None,
                    "< 1 GB",
                    None if total is None else total < 1024,
                    "—"
                    if rss is None
                    else f"主进程 {rss[0]:.0f} MB + 2 个工作进程各至多 {rss[1]:.0f} MB",
                )
            )
        else:
            table.append(Row("汇总端到端", None, "", None, "", None, "（汇总功能尚未实现）"))
        rows = synthetic_rows(sizes["write_rows"])
        w_op = median_time(lambda: write_openpyxl(rows, work / "w1.xlsx"), runs)
        w_xw = median_time(lambda: write_xlsxwriter(rows, work / "w2.xlsx"), runs)
        table.append(
            Row(f"写出 {len(rows)} 行 × 12 列：xlsxwriter", w_xw, "openpyxl（只写模式）", w_op)
        )

        if has_consolidate():
            from jinguo_xl.writers.master import write_master

            result, rules_m, cells = master_cells(work / "big")
            t_master = median_time(
                lambda: write_master(work / "m1.xlsx", result, rules_m), runs
            )
            t_bare = median_time(lambda: write_bare(cells, work / "m2.xlsx"), runs)
            n_cells = sum(len(r) for rows in cells.values() for r in rows)
            table.append(
                Row(
                    f"汇总表写出（{label}）",
                    t_master,
                    "xlsxwriter 只写同样的单元格",
                    t_bare,
                    "≤ 1.3× 基线",
                    t_master <= 1.3 * t_bare,
                    f"（{n_cells} 个单元格；汇总表是基线的 {t_master / t_bare:.2f} 倍）",
                )
            )

        table += template_rows(work, sizes["template_rows"])

        n = sizes["udf_rows"]
        t_check, t_status, t_warm = udf_seconds_apart(n, max(runs, 5))
        table += [
            Row(
                f"JINGUO_CHECK 逻辑（{n} 行，首次计算）",
                t_check,
                "",
                None,
                "< 5 ms",
                t_check < 0.005,
                f"每行 {t_check / n * 1e6:.1f} µs",
            ),
            Row(
                f"JINGUO_STATUS 逻辑（{n} 行，首次计算）",
                t_status,
                "",
                None,
                "< 5 ms",
                t_status < 0.005,
                f"每行 {t_status / n * 1e6:.1f} µs",
            ),
            Row(
                f"同一表的其他公式（{n} 行，已计算过）",
                t_warm,
                "",
                None,
                "< 5 ms",
                t_warm < 0.005,
                f"每行 {t_warm / n * 1e6:.2f} µs（模板中每张表约有 6 个公式引用同一区域）",
            ),
        ]
        imp = udf_import_seconds(preload_xlwings=True)
        table.append(
            Row(
                "UDF 模块冷启动导入（xlwings 已加载，同 UDF 服务器）",
                imp,
                "",
                None,
                "< 0.3 s",
                None if imp is None else imp < 0.3,
                "",
            )
        )
        whole = udf_import_seconds(preload_xlwings=False)
        table.append(
            Row("UDF 模块冷启动导入（含 import xlwings）", whole, "", None, "", None, "")
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        # Whatever was measured is printed, even if a later step failed.
        print_table(table)
        if args.json:
            args.json.write_text(
                json.dumps(
                    [r.__dict__ | {"ratio": r.ratio} for r in table], ensure_ascii=False, indent=2
                ),
                encoding="utf-8",
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
