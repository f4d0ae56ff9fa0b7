"""Manual check of the add-in in real Windows Excel: what no test off Windows can show.

Run it on a Windows PC with desktop Excel, in the environment where jinguo_xl is installed,
after ``jinguo-xl addin install`` and with Excel closed:

    python addin\\windows_check.py

It starts Excel, confirms the add-in loaded, fills a copy of the template, lets Excel
recalculate the JINGUO_* cells through the UDF server, compares them with the command line's
verdict on the same saved file, runs two ribbon macros through the add-in's own ``RunPython``,
and prints one line per step: 通过 or 失败 with what was seen. Nothing is written outside a
temporary folder. Leave Excel's window alone while it runs (about a minute).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import xlwings as xw

from jinguo_xl.engine import check_file
from jinguo_xl.rules import load_rules
from jinguo_xl.writers.template import write_template

ROWS = [
    [1, "示例甲", "城口县鸡鸣乡", "13800130001", "2020-05-01", "刺绣", 1.5, "未脱贫妇女", "是"],
    [2, "示例乙", "城口县鸡鸣乡", "138 0013 0002", "2020-05-01", "刺绣", "1.5万", "一般妇女", ""],
    [3, "示例丙", "城口县鸡鸣乡", "12345", "2020-05-02", "刺绣", 2, "贫困妇女", "是"],
]
failures = 0


def step(name: str, ok: bool, seen: object) -> None:
    global failures
    failures += not ok
    print(f"{'通过' if ok else '失败'}  {name}：{seen}")


def main() -> int:
    rules = load_rules()
    folder = Path(tempfile.mkdtemp(prefix="jinguo_check_"))
    book_path = folder / "检查用台账.xlsx"
    write_template(book_path, rules)

    app = xw.App(visible=True, add_book=False)
    try:
        try:  # add-ins are not listed in Workbooks, but can be reached by name
            loaded = app.api.Workbooks("jinguo_xl.xlam").FullName
        except Exception as exc:
            loaded = f"未加载（{exc}）"
        step("加载项随 Excel 启动", str(loaded).endswith("jinguo_xl.xlam"), loaded)

        book = app.books.open(str(book_path))
        info = book.sheets["基本信息"]
        info.range("基地类型").value = "巾帼扶贫车间"
        info.range("基地名称").value = "示例合作社"
        sheet = book.sheets["手工制作"]
        sheet.range("B5").value = [row[1:] for row in ROWS]  # column A numbers itself
        app.calculate()
        time.sleep(5)  # the UDF server starts on the first call
        app.calculate()

        status = sheet.range("C2").value
        computed = bool(status) and "#" not in str(status) and "未加载" not in str(status)
        step("JINGUO_STATUS 有结果（不是提示或 #NAME?）", computed, status)
        checks = sheet.range("J5:J7").value
        step("JINGUO_CHECK 标出第 3 行电话错误", "电话" in str(checks[2]), checks)

        book.save()
        cli = check_file(book_path)
        step("单元格结论与命令行一致", status == cli.reason, f"{status} / {cli.reason}")

        run = app.macro("'jinguo_xl.xlam'!xlwings.RunPython")
        book.activate()
        run("import jinguo_xl.excel.macros as m; m.run('compute_status')")
        names = [s.name for s in book.sheets]
        step("按钮“计算达标”写出达标情况表", "达标情况" in names, names)
        run("import jinguo_xl.excel.macros as m; m.run('check_workbook')")
        names = [s.name for s in book.sheets]
        step("按钮“校验本表”生成问题清单", "问题清单" in names, names)
        book.close()
    finally:
        app.quit()
    print("全部通过" if not failures else f"{failures} 项失败：请把以上输出发给维护人员")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
