"""One place to read the guarantees: every bad input of the corpus through ``check`` and
``consolidate``, with the expected and the observed outcome printed as a table.

Run ``pytest tests/test_reliability.py -s`` to see the table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile

from jinguo_xl.cli import main
from jinguo_xl.read import reader
from jinguo_xl.run.batch import check_all
from tests.conftest import HEADERS, base_line, people, stacked, woman, write_xlsx

Case = tuple[str, Callable[[Path], Path], str]


def _good(folder: Path, name: str = "正常.xlsx", rows=None) -> Path:
    grid = stacked(base_line(), {"手工制作": rows or people(3, extra=[0.5])})
    return write_xlsx(folder / name, {"统计表": grid})


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _truncated(folder: Path) -> Path:
    data = _good(folder, "完整.xlsx").read_bytes()
    (folder / "完整.xlsx").unlink()
    path = folder / "半截.xlsx"
    path.write_bytes(data[: len(data) // 3])
    return path


def _xls(folder: Path) -> Path:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("手工制作")
    for r, row in enumerate([[base_line()], HEADERS["手工制作"], *people(2, extra=[1])]):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v.isoformat() if isinstance(v, dt.date) else v)
    path = folder / "旧版.xls"
    wb.save(str(path))
    return path


def _encrypted(folder: Path) -> Path:
    src = _good(folder, "明文.xlsx")
    out = io.BytesIO()
    with src.open("rb") as fh:
        OOXMLFile(fh).encrypt("123", out)
    src.unlink()
    path = folder / "加密.xlsx"
    path.write_bytes(out.getvalue())
    return path


def _zip_bomb(folder: Path) -> Path:
    path = folder / "炸弹.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (64 * 1024 * 1024) + b"</a>")
    return path


def _entity_bomb(folder: Path) -> Path:
    src = _good(folder, "源.xlsx")
    path = folder / "实体炸弹.xlsx"
    doctype = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = doctype.encode() + data.split(b"?>", 1)[-1]
            zout.writestr(item, data)
    src.unlink()
    return path


def _edit(name: str, edit: Callable[[openpyxl.Workbook], None]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = _good(folder, name)
        wb = openpyxl.load_workbook(path)
        edit(wb)
        wb.save(path)
        return path

    return make


def _many_formatted_rows(wb: openpyxl.Workbook) -> None:
    ws = wb["统计表"]
    ws.cell(row=1_000_000, column=20).number_format = "0.00"  # formatting only, no value


def _stray_value_far_below(wb: openpyxl.Workbook) -> None:
    wb["统计表"].cell(row=1_000_000, column=20, value=" 备注")  # a clerk's stray keystroke


def _merged(wb: openpyxl.Workbook) -> None:
    ws = wb["统计表"]
    ws.merge_cells("A1:I1")  # the title across the page
    ws.merge_cells("A3:I3")  # the caption line
    for ref in ("E9:E11", "F9:F11", "H9:H11"):  # one date, content and type for the group
        ws.merge_cells(ref)


def _hidden(wb: openpyxl.Workbook) -> None:
    ws = wb["统计表"]
    ws.sheet_state = "hidden"
    ws.row_dimensions[9].hidden = True
    wb.create_sheet("封面")["A1"] = "统计表见隐藏工作表"
    wb.active = 1


def _weird_text(folder: Path) -> Path:
    rows = [
        woman("张\u200b玉\t兰", "13800130001", extra=[0.5], note="😀" * 50),
        woman("=1+1", "13800130002", extra=[0.5], note="@SUM(A1)"),
        woman("李四", "13800130003", extra=[0.5], note="-" + "长" * 5000),
    ]
    return _good(folder, "怪字符.xlsx", rows)


def _split_and_twice(folder: Path) -> Path:
    rows = people(4, extra=[0.5])
    grid = [
        [base_line()],
        ["手工制作带动统计表："],
        HEADERS["手工制作"],
        rows[0],
        [],
        [],
        rows[1],
        [],
        ["手工制作带动统计表："],
        [*HEADERS["手工制作"], "自加列"],
        rows[2],
        rows[3],
    ]
    return write_xlsx(folder / "分段.xlsx", {"统计表": grid}, start="C3")


def _raw_zip(path: Path, entries: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip written by hand from (name, raw deflate bytes, crc, real size, size the headers
    claim): the same compressed part can be repeated, and headers can lie."""
    local, central = io.BytesIO(), io.BytesIO()
    for name, comp, crc, _, claimed in entries:
        offset = local.tell()
        raw = name.encode()
        local.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 33, crc,
                                len(comp), claimed, len(raw), 0) + raw + comp)
        central.write(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 33,
                                  crc, len(comp), claimed, len(raw), 0, 0, 0, 0, 0, offset) + raw)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      central.tell(), local.tell(), 0)
    path.write_bytes(local.getvalue() + central.getvalue() + end)
    return path


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def _spaces(mib: int) -> tuple[bytes, int, int]:
    """``mib`` MiB of spaces deflated piece by piece, never held whole in memory."""
    packer, crc, block = zlib.compressobj(6, zlib.DEFLATED, -15), 0, b" " * (1 << 20)
    out = []
    for _ in range(mib):
        out.append(packer.compress(block))
        crc = zlib.crc32(block, crc)
    return b"".join(out) + packer.flush(), crc, mib << 20


def _good_parts(folder: Path, name: str) -> list[tuple[str, bytes, int, int, int]]:
    src = _good(folder, name)
    with zipfile.ZipFile(src) as zf:
        parts = [(i.filename, *_deflated(zf.read(i))) for i in zf.infolist()]
    src.unlink()
    return [(n, comp, crc, size, size) for n, comp, crc, size in parts]


def _lying_headers(folder: Path) -> Path:
    """7 MB on disk, 1.9 GB inside, and both headers claim 1 000 bytes."""
    comp, crc, size = _spaces(300)
    entries = [*_good_parts(folder, "源.xlsx"), ("xl/media/image1.xml", comp, crc, size, 1000)]
    return _raw_zip(folder / "谎报大小.xlsx", entries)


def _forty_honest_sheets(folder: Path) -> Path:
    """40 parts of 49 MiB each: every one below the per-part limits, 1.9 GB together."""
    comp, crc, size = _spaces(49)
    extra = [(f"xl/worksheets/big{i}.xml", comp, crc, size, size) for i in range(40)]
    return _raw_zip(folder / "四十个大表.xlsx", [*_good_parts(folder, "源.xlsx"), *extra])


def _rewrite(
    name: str, part: str, edit: Callable[[bytes], bytes], *, upper: bool = False
) -> Callable[[Path], Path]:
    """A good workbook with one part rewritten (and renamed in capitals when ``upper``)."""

    def make(folder: Path) -> Path:
        src = _good(folder, "源.xlsx")
        path = folder / name
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for item in zin.infolist():
                data = zin.read(item)
                target = item.filename
                if item.filename == part:
                    data = edit(data)
                    target = part.upper() if upper else part
                out.writestr(target, data)
        src.unlink()
        return path

    return make


_EVIL = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'


def _after_long_comment(xml: bytes) -> bytes:
    head, _, body = xml.partition(b"?>")
    return head + b"?><!--" + b"c" * 300_000 + b"-->" + _EVIL + body


def _utf16(xml: bytes) -> bytes:
    _, _, body = xml.partition(b"?>")
    text = '<?xml version="1.0" encoding="UTF-16"?>' + (_EVIL + body).decode()
    return text.encode("utf-16")


def _far_prefixed_value(xml: bytes) -> bytes:
    stray = b'<x:row r="1048576"><x:c r="XFD1048576" t="inlineStr"><x:is><x:t>x</x:t></x:is>'
    stray += b"</x:c></x:row>"
    xml = xml.replace(b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main" ', 1)
    return xml.replace(b"</sheetData>", stray + b"</sheetData>")


def _strict_uncached(folder: Path) -> Path:
    """A Strict OOXML file (ISO/IEC 29500 namespaces) whose money formula was never calculated."""
    src = _good(folder, "源.xlsx")
    wb = openpyxl.load_workbook(src)
    wb["统计表"]["G9"] = "=0.5*2"
    wb.save(src)
    path = folder / "严格格式.xlsx"
    strict = {
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main":
            b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
            b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    }
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in zin.infolist():
            data = zin.read(item)
            for old, new in strict.items():
                data = data.replace(old, new)
            out.writestr(item.filename, data)
    src.unlink()
    return path


def _legacy_xls(folder: Path, name: str) -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("手工制作")
    for r in range(50):
        for c in range(5):
            ws.write(r, c, f"x{r}-{c}")
    path = folder / name
    wb.save(str(path))
    return path.read_bytes()


def _panicking_xls(folder: Path) -> Path:
    """A string in the shared-string table claims 121 characters where 5 are left: the Rust
    reader panics (pyo3's PanicException, a BaseException)."""
    data = bytearray(_legacy_xls(folder, "崩溃.xls"))
    at = data.find(b"\x05\x00\x00x46-4")
    data[at] = 121
    path = folder / "崩溃.xls"
    path.write_bytes(bytes(data))
    return path


def _looping_chain_xls(folder: Path) -> Path:
    """The directory's sector chain points back to itself: left to the cell reader, it
    allocates until the memory runs out and the process aborts; the container check before it
    sees the loop and calls the file damaged."""
    data = bytearray(_legacy_xls(folder, "成环.xls"))
    shift, = struct.unpack_from("<H", data, 30)
    directory, = struct.unpack_from("<I", data, 48)
    fat_sector, = struct.unpack_from("<I", data, 76)
    fat = 512 + (fat_sector << shift)
    struct.pack_into("<I", data, fat + 4 * directory, directory)
    path = folder / "成环.xls"
    path.write_bytes(bytes(data))
    return path


def _gbk_folder(folder: Path) -> Path:
    """A good workbook in a folder whose name is GBK bytes, as copied from a Windows share."""
    sub = folder / os.fsdecode("城口县".encode("gbk"))
    sub.mkdir()
    return _good(sub, os.fsdecode("合作社".encode("gbk") + b".xlsx"))


CASES: list[Case] = [
    ("空文件", _bytes("空.xlsx", b""), "error:文件是空的"),
    ("没有任何行的工作簿", _bytes("空表.xlsx", b""), "skip"),
    ("截断的压缩包", _truncated, "error:压缩包不完整"),
    ("随机字节", _bytes("乱码.xlsx", bytes(range(256)) * 4), "error:不是 Excel 工作簿"),
    ("CSV 改名", _bytes("表.xlsx", "序号,姓名\n1,张三\n".encode("gb18030")), "error:CSV"),
    ("网页改名", _bytes("网页.xlsx", b"<html><table></table></html>"), "error:网页"),
    ("旧版 .xls", _xls, "ok:2"),
    ("设有打开密码", _encrypted, "error:工作簿设有打开密码，请去掉密码后重新提交"),
    ("压缩炸弹", _zip_bomb, "error:疑似恶意文件"),
    ("XML 实体炸弹", _entity_bomb, "error:DOCTYPE"),
    ("百万行格式、30 行以内数据", _edit("格式.xlsx", _many_formatted_rows), "ok:3"),
    ("第 1000000 行有一个孤立的值", _edit("远处.xlsx", _stray_value_far_below), "ok:3"),
    (
        "公式没有计算结果",
        _edit("公式.xlsx", lambda wb: wb["统计表"].__setitem__("G9", "=0.5*2")),
        "ok:3:formula-no-value",
    ),
    ("隐藏的工作表和行", _edit("隐藏.xlsx", _hidden), "ok:3"),
    ("标题、表名和数据中的合并单元格", _edit("合并.xlsx", _merged), "ok:3:merged-filled"),
    ("表格被空行分段、同一张表出现两次、表头右移", _split_and_twice, "ok:4:table-duplicate"),
    ("控制字符、表情、超长文字、公式样文字", _weird_text, "ok:3:name-invalid"),
]


def _zero_rows(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    path = folder / "空表.xlsx"
    wb.save(path)
    return path


CASES[1] = ("没有任何行的工作簿", _zero_rows, "ok:0")

# Files built to break the reader (issue classes: native crash, bombs, XML spellings, names).
HOSTILE: list[Case] = [
    ("解析库 panic 的 .xls", _panicking_xls, "error:读取时程序异常退出"),
    ("扇区链成环的 .xls", _looping_chain_xls, "error:文件无法作为 Excel 工作簿读取（文件已损坏"),
    ("头部谎报大小（7 MB → 1.9 GB）", _lying_headers, "error:疑似恶意文件"),
    ("40 个 49 MiB 的部件", _forty_honest_sheets, "error:疑似恶意文件"),
    (
        "长注释之后的 DOCTYPE",
        _rewrite("注释.xlsx", "xl/worksheets/sheet1.xml", _after_long_comment),
        "error:DOCTYPE",
    ),
    ("UTF-16 部件中的 DOCTYPE", _rewrite("宽字符.xlsx", "xl/styles.xml", _utf16), "error:DOCTYPE"),
    (
        "大写部件名（.XML）中的 DOCTYPE",
        _rewrite(
            "大写.xlsx", "xl/theme/theme1.xml", lambda x: _EVIL + x.partition(b"?>")[2], upper=True
        ),
        "error:DOCTYPE",
    ),
    (
        # Read and streamed whole (see test_extent); counting then lays the sheet out as a
        # million rows by 16 384 columns, which the worker's memory limit stops.
        "命名空间前缀的远处值 <x:c r=\"XFD1048576\">",
        _rewrite("前缀.xlsx", "xl/worksheets/sheet1.xml", _far_prefixed_value),
        "error:读取时所需内存超过上限",
    ),
    ("Strict 格式、公式没有计算结果", _strict_uncached, "ok:3:formula-no-value"),
    ("文件夹和文件名不是 UTF-8（GBK）", _gbk_folder, "ok:3"),
]


def _observe(paths: list[Path]) -> list[str]:
    """What ``check`` says of each file: read in guarded workers, as the CLI does."""
    observed = []
    for report in check_all([(p, p.name) for p in paths], 2020, workers=2):
        if not report.ok:
            observed.append(f"error:{report.error}")
        else:
            codes = {f.code for f in report.findings}
            observed.append(f"ok:{report.rows_read}:" + ",".join(sorted(codes)))
    return observed


def _matches(expected: str, observed: str) -> bool:
    kind, _, rest = expected.partition(":")
    if kind == "error":
        return observed.startswith("error:") and rest in observed
    count, _, code = rest.partition(":")
    obs_count, _, obs_codes = observed[3:].partition(":")
    return observed.startswith("ok:") and obs_count == count and (not code or code in obs_codes)


def _build(folder: Path, cases: list[Case]) -> tuple[Path, list[tuple[str, Path, str]]]:
    built = []
    for i, (label, make, expected) in enumerate(cases):
        sub = folder / f"{i:02d}"
        sub.mkdir()
        built.append((label, make(sub), expected))
    return folder, built


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[tuple[str, Path, str]]]:
    return _build(tmp_path_factory.mktemp("corpus"), CASES)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, list[tuple[str, Path, str]]]:
    return _build(tmp_path_factory.mktemp("hostile"), HOSTILE)


def test_every_bad_input_behaves_as_expected(corpus, hostile, capsys):
    built = corpus[1] + hostile[1]
    rows = []
    observed_all = _observe([p for _, p, _ in built])
    for (label, _, expected), observed in zip(built, observed_all, strict=True):
        rows.append((label, expected, observed, _matches(expected, observed)))
    with capsys.disabled():
        print("\n可靠性一览（check）")
        print(f"{'输入':<28} {'预期':<36} 实际")
        for label, expected, observed, ok in rows:
            print(f"{label:<28} {expected:<36} {observed[:70]}  {'✓' if ok else '✗'}")
    assert [r[0] for r in rows if not r[3]] == []


def test_the_whole_corpus_consolidates_without_losing_a_row(corpus, hostile, tmp_path, capsys):
    """Good, bad and hostile files in one run: every good row counted, every other file
    listed, the run itself never stopped by any of them."""
    built = corpus[1] + hostile[1]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for _, p, _ in built}
    folders = [str(corpus[0]), str(hostile[0])]
    code = main(["consolidate", *folders, "-o", str(tmp_path / "汇总.xlsx"), "--json"])
    summary = json.loads(capsys.readouterr().out)
    unreadable = sum(1 for _, _, e in built if e.startswith("error"))
    expected_rows = sum(int(e.split(":")[1]) for _, _, e in built if e.startswith("ok"))
    with capsys.disabled():
        print(
            f"\n可靠性一览（consolidate）：读取 {summary['files_read']} 个，无法读取 "
            f"{len(summary['files_failed'])} 个（预期 {unreadable}），数据行 "
            f"{summary['rows_read']}（预期 {expected_rows}），汇总表中 {summary['rows_in_master']}"
        )
    assert len(summary["files_failed"]) == unreadable
    assert summary["rows_read"] == summary["rows_in_master"] == expected_rows
    assert code == 1
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for _, p, _ in built} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]  # no temporary left


def test_an_interrupted_write_leaves_the_previous_master_intact(
    corpus, tmp_path, monkeypatch, capsys
):
    import jinguo_xl.writers.master as master

    folder, _ = corpus
    out = tmp_path / "汇总.xlsx"
    main(["consolidate", str(folder), "-o", str(out), "--json"])
    good = out.read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # the clerk pressed Ctrl+C half way through the write

    monkeypatch.setattr(master, "_ranking", crash)
    try:
        code = main(["consolidate", str(folder), "-o", str(out), "--json"])
    except KeyboardInterrupt:  # the CLI ends an interrupt with exit code 130
        code = 130
    assert code == 130
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]
    monkeypatch.undo()
    capsys.readouterr()
    main(["consolidate", str(folder), "-o", str(out), "--json"])
    assert json.loads(capsys.readouterr().out)["rows_in_master"] > 0


def test_a_killed_write_leaves_the_old_master_and_the_rerun_cleans_up(corpus, tmp_path, capsys):
    """kill -9 in the middle of writing: the old master stays, the next run removes the stray
    temporary file (it holds personal data) and writes the full result."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder, _ = corpus
    out = tmp_path / "汇总.xlsx"
    main(["consolidate", str(folder), "-o", str(out), "--json"])
    good = out.read_bytes()
    script = (
        "import sys, time\n"
        "import jinguo_xl.writers.master as m\n"
        "def hang(*a, **k):\n"
        "    print('writing', flush=True); time.sleep(60)\n"
        "m._ranking = hang\n"
        "from jinguo_xl.cli import main\n"
        f"main(['consolidate', {str(folder)!r}, '-o', {str(out)!r}, '--json'])\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(0.1)
    assert out.read_bytes() == good
    leftovers = [p for p in tmp_path.iterdir() if p != out]
    assert leftovers and all(p.match(".汇总.*.xlsx") for p in leftovers)  # the killed run's
    capsys.readouterr()
    main(["consolidate", str(folder), "-o", str(out), "--json"])
    expected_rows = sum(int(e.split(":")[1]) for _, _, e in corpus[1] if e.startswith("ok"))
    assert json.loads(capsys.readouterr().out)["rows_in_master"] == expected_rows
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]


# ---------------------------------------------------------------- public test files

CORPUS = Path(__file__).parent / "corpus"


def _manifest() -> dict[str, str]:
    """File → expected outcome (read | refused), from tests/corpus/MANIFEST."""
    lines = (CORPUS / "MANIFEST").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return {row[0]: row[1] for row in rows}


def _reasons() -> dict[str, str]:
    """File → why it is here (the last column), for the kinds whose sentence is fixed."""
    lines = (CORPUS / "MANIFEST").read_text(encoding="utf-8").splitlines()
    return {r[0]: r[-1] for r in (x.split("\t") for x in lines if x and not x.startswith("#"))}


def _in_corpus(shown: str) -> str:
    return shown.replace("\\", "/").split("corpus/", 1)[1]


def test_public_test_files_are_each_read_or_refused_in_chinese(tmp_path, monkeypatch, capsys):
    """Spreadsheet test files of calamine, xlrd, ExcelDataReader, SheetJS and fastexcel, the
    corrupt and hostile ones included: ``check`` and ``consolidate`` finish, every file is read
    or refused with a Chinese reason, no traceback, inputs untouched, workers under 1 GB."""
    import re
    import subprocess
    import sys

    from jinguo_xl.read import guard
    monkeypatch.setattr(guard, "TIME_LIMIT", 60.0)
    manifest = _manifest()
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "MANIFEST")
    assert sorted(p.relative_to(CORPUS).as_posix() for p in files) == sorted(manifest)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}

    # check as its own process, so the peak memory measured is this run's (workers included).
    # Its own peak is VmHWM: ru_maxrss would carry this test process's peak across fork/exec.
    out_file, err_file, peak_file = (tmp_path / n for n in ("check.json", "check.err", "peak"))
    code = (
        "import resource, sys\n"
        "from jinguo_xl.cli import main\n"
        "try:\n"
        f"    rc = main(['check', '--json', {str(CORPUS)!r}])\n"
        "finally:\n"
        "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        f"    open({str(peak_file)!r}, 'w').write(f'{{hwm.split()[1]}} {{kids}}')\n"
        "raise SystemExit(rc)\n"
    )
    with out_file.open("wb") as out, err_file.open("wb") as err:
        proc = subprocess.run([sys.executable, "-c", code], stdout=out, stderr=err, check=False)
    assert proc.returncode == 1  # some files cannot be read
    assert "Traceback" not in err_file.read_text(encoding="utf-8", errors="replace")
    own_kb, workers_kb = map(int, peak_file.read_text().split())
    assert max(own_kb, workers_kb) * 1024 < 1024**3  # the run and its largest worker
    checked = json.loads(out_file.read_text(encoding="utf-8"))["files"]
    outcome = {_in_corpus(f["file"]): "read" if f["ok"] else "refused" for f in checked}
    assert outcome == manifest
    reasons = [f["error"] for f in checked if not f["ok"]]
    assert all(re.search(r"[\u4e00-\u9fff]{4}", reason) for reason in reasons)
    # An encrypted file is told so, .xls as .xlsx, and Excel's built-in password apart.
    sentences = {
        "encrypted": reader.PASSWORD_PROTECTED,
        "encrypted with Excel's built-in password": reader.DEFAULT_ENCRYPTED,
    }
    why = _reasons()
    told = {_in_corpus(f["file"]): f["error"] for f in checked if not f["ok"]}
    expected = {name: sentences[w] for name, w in why.items() if w in sentences}
    assert {name: told[name] for name in expected} == expected

    master = tmp_path / "汇总.xlsx"
    main(["consolidate", str(CORPUS), "-o", str(master), "--json"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    summary = json.loads(out.out)
    refused = {name for name, kind in manifest.items() if kind == "refused"}
    # Three files of the corpus are byte-identical copies held by two projects each: each is
    # one submission, read once, its other place listed beside it (spec §8).
    copies = {
        _in_corpus(place): _in_corpus(first)
        for first, places in summary["files_same"].items()
        for place in places
    }
    assert len(copies) == 3
    distinct = set(manifest) - set(copies)
    assert summary["files_read"] == len(distinct - refused)
    assert {_in_corpus(f["file"]) for f in summary["files_failed"]} == refused & distinct
    assert all(manifest[copy] == manifest[first] for copy, first in copies.items())
    assert master.stat().st_size > 0
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files} == before
