"""Manual check of the add-in in real Windows Excel: what no test off Windows can show.

Run it on a Windows PC with desktop Excel, in the environment where jinguo_xl is installed,
after ``jinguo-xl addin install`` and with Excel closed:

    python addin\\windows_check.py

It starts Excel, confirms the add-in loaded, opens a copy of it to see that Excel neither
refuses nor repairs it, compiles its VBA project (where the Trust Center allows access to the
VBA project), registers the function wizard's help and asks you to look at it, opens the blank
template to see that Excel finds no circular reference and every named verdict is a text (what
``jinguo_xl.writers.hazards`` predicts from the formulas), fills a copy of the template, lets Excel
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

from jinguo_xl.rules import load_rules
from jinguo_xl.run.files import check_file
from jinguo_xl.writers import native
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


# Excel's own numbers: the VBE's Debug > Compile button, the function wizard dialog.
COMPILE_CONTROL_ID = 578
XL_DIALOG_FUNCTION_WIZARD = 450
# Caption marks Excel adds to a workbook it had to repair (English and Chinese Office).
REPAIRED_MARKS = ("[Repaired]", "[已修复]", "[修复]")


def check_opens_without_repair(app: xw.App, addin: Path, folder: Path) -> None:
    """Open a copy of the add-in as a workbook: Excel must neither refuse it nor repair it.

    With alerts off, a file Excel wants to repair fails to open (the prompt's default is not to
    repair) or opens with "[Repaired]" in its window caption; both are reported."""
    copy = folder / "jinguo_repair_check.xlam"
    copy.write_bytes(addin.read_bytes())
    app.api.DisplayAlerts = False
    try:
        wb = app.api.Workbooks.Open(str(copy), 0, True)  # UpdateLinks=0, ReadOnly=True
    except Exception as exc:
        step("加载项打开时不提示修复", False, f"Excel 拒绝打开或要求修复（{exc}）")
        return
    finally:
        app.api.DisplayAlerts = True
    try:
        wb.IsAddin = False  # an add-in has no window whose caption could be read
        caption = str(wb.Windows(1).Caption)
        repaired = any(mark in caption for mark in REPAIRED_MARKS)
        step("加载项打开时不提示修复", not repaired, caption)
    finally:
        wb.Close(False)


def check_vba_compiles(app: xw.App, addin_name: str) -> None:
    """Debug > Compile on the add-in's project, through the VBE's own menu button.

    Needs "Trust access to the VBA project object model" (Trust Center > Macro Settings); when
    it is off the step says so instead of failing. A compile error shows Excel's own dialog:
    note its text and click OK, and the step then fails because the project stayed uncompiled
    (the Compile button stays enabled)."""
    try:
        project = app.api.Workbooks(addin_name).VBProject
        vbe = app.api.VBE
    except Exception:
        print("未检查  VBA 编译：请在 Excel 信任中心勾选“信任对 VBA 工程对象模型的访问”后重跑")
        return
    print("正在编译 VBA 工程；如果弹出“编译错误”，请记下内容后点“确定”。")
    vbe.ActiveVBProject = project
    control = vbe.CommandBars.FindControl(Id=COMPILE_CONTROL_ID)
    if control is None:
        step("VBA 工程编译通过", False, "找不到 VBA 编辑器的“编译”按钮")
        return
    if control.Enabled:
        control.Execute()
    step("VBA 工程编译通过", not control.Enabled, f"工程 {project.Name}")
    step("VBA 工程名为 jinguo_xl", project.Name == "jinguo_xl", project.Name)


def check_function_help(app: xw.App, addin_name: str) -> None:
    """The function wizard's Chinese help: registered by the add-in, confirmed by eye.

    Excel offers no way to read ``MacroOptions`` back, so the script runs the add-in's own
    ``RegisterUdfHelp`` (what the first ribbon click does), reports any error, then opens the
    function wizard for the person running the check to look at category 巾帼统计."""
    try:
        app.api.Run(f"'{addin_name}'!JinguoUdfHelp.RegisterUdfHelp")
    except Exception as exc:
        step("函数向导说明已登记（RegisterUdfHelp）", False, exc)
        return
    step("函数向导说明已登记（RegisterUdfHelp）", True, "没有报错")
    print("即将打开“插入函数”对话框：请在类别中选“巾帼统计”，选中 JINGUO_STATUS，")
    print("看说明和“函数参数”中是否为中文，然后关闭对话框。")
    app.api.Dialogs(XL_DIALOG_FUNCTION_WIZARD).Show()
    seen = input("函数向导中显示中文说明了吗？（是/否）：").strip()
    step("函数向导显示中文说明", seen.startswith(("是", "y", "Y")), seen or "未回答")


STATUSES = ("达标", "基本达标", "未达标", "未填报", "无法判定")


def check_template_calculates(app: xw.App, book: object, what: str, industries: list[str]) -> None:
    """After a full recalculation no sheet reports a circular reference, and every named
    verdict (基地结论, 结论_<产业>) is a text starting with a status, not an error.

    ``book`` is Excel's Workbook object. Excel shows a circular reference as a warning on
    opening (suppressed while alerts are off) and in each sheet's ``CircularReference``; an
    error value comes back through COM as a number, not a text."""
    app.api.CalculateFull()
    circular = []
    for ws in book.Worksheets:
        cell = ws.CircularReference
        if cell is not None:
            circular.append(f"{ws.Name}!{cell.Address}")
    step(f"{what}：没有循环引用", not circular, "、".join(circular) or "无")
    wrong = []
    for name in (native.BASE_VERDICT, *(native.verdict_name(i) for i in industries)):
        try:
            value = book.Names(name).RefersToRange.Value
        except Exception as exc:
            wrong.append(f"{name} 无法读取（{exc}）")
            continue
        if not (isinstance(value, str) and value.startswith(STATUSES)):
            wrong.append(f"{name} = {value!r}")
    step(f"{what}：每个结论名称都是文字（不是错误值）", not wrong, "；".join(wrong) or "全部是文字")


def check_blank_template(app: xw.App, folder: Path, industries: list[str]) -> None:
    """Open a freshly written blank template and check it as :func:`check_template_calculates`."""
    path = folder / "空白模板检查.xlsx"
    write_template(path, load_rules())
    app.api.DisplayAlerts = False
    try:
        book = app.api.Workbooks.Open(str(path), 0, True)  # UpdateLinks=0, ReadOnly=True
    finally:
        app.api.DisplayAlerts = True
    try:
        check_template_calculates(app, book, "空白模板", industries)
    finally:
        book.Close(False)


class _Recorder:
    """The calling Excel with its message box replaced by a list, so button steps run unattended."""

    def __init__(self, app: xw.App) -> None:
        self.api = app.api
        self.texts: list[str] = []

    def alert(self, text: str, title: str = "") -> None:
        self.texts.append(text)


def _look(book: xw.Book, rows: int = 40, cols: int = 12) -> dict[str, object]:
    """What a clerk sees: every sheet's formulas and visibility, notes, and fills of the top rows.

    Formulas come one call per sheet; fills are read cell by cell, so only the first ``rows``
    rows (headers, inputs and the rows the steps fill in) are compared."""
    out: dict[str, object] = {}
    for ws in book.api.Worksheets:
        name = str(ws.Name)
        out[f"{name}!visible"] = ws.Visible
        out[f"{name}!formulas"] = ws.UsedRange.Formula
        out[f"{name}!notes"] = {str(c.Parent.Address): str(c.Text()) for c in ws.Comments}
        block = ws.Range(ws.Cells(1, 1), ws.Cells(rows, cols))
        out[f"{name}!fills"] = [(c.Interior.ColorIndex, c.Interior.Color) for c in block.Cells]
    return out


def _settings(app: xw.App) -> tuple[object, ...]:
    xl = app.api
    return xl.ScreenUpdating, xl.Calculation, xl.EnableEvents, xl.DisplayAlerts


def check_buttons_give_back(app: xw.App, book: xw.Book) -> None:
    """校验本表 → 清除标记 gives the workbook back exactly; 计算达标 keeps the template's formulas.

    The buttons' own Python (``macros.run``) drives this Excel directly, with a clerk's note
    and fill on a flagged cell, a note longer than 255 characters, a sheet named 2020 and a
    protected sheet; messages are collected instead of shown."""
    from jinguo_xl.excel import macros

    rec = _Recorder(app)
    sheet = book.sheets["手工制作"]
    sheet.range("B20").value = [[f"示例{i}", "城口县鸡鸣乡", "12345", "2020-05-02", "刺绣", 1,
                                 "贫困妇女", "是"] for i in range(300)]
    if sheet.range("D7").note:
        sheet.range("D7").note.delete()
    sheet.api.Range("D7").AddComment("王会计：电话待核实")
    sheet.range("D7").color = (255, 255, 0)
    sheet.api.Range("C7").AddComment("核对记录：" + "甲乙丙丁" * 80)  # over 255 characters
    sheet.api.Copy(After=book.sheets[-1].api)
    book.sheets[-1].name = "2020"
    settings = _settings(app)
    before = _look(book)

    started = time.perf_counter()
    macros.run("check_workbook", book, app=rec)
    took = time.perf_counter() - started
    note = str(sheet.api.Range("D7").Comment.Text())
    kept_note = note.startswith("王会计：电话待核实\n\n巾帼统计：")
    step("校验本表：原有批注保留，说明加在其后", kept_note, note[:60])
    long_note = str(sheet.api.Range("C7").Comment.Text())
    whole = long_note.startswith("核对记录：" + "甲乙丙丁" * 80)
    step("校验本表：长批注完整", whole, len(long_note))
    names = [s.name for s in book.sheets]
    step("校验本表：生成问题清单和隐藏的记录表", "问题清单" in names and
         book.sheets["_jinguo_marks"].api.Visible == 0, names)
    step("校验本表：约 600 个问题单元格的用时", took < 60, f"{took:.1f} 秒；{rec.texts[-1][:40]}")
    step("按钮运行后 Excel 设置复原", _settings(app) == settings, _settings(app))

    started = time.perf_counter()
    macros.run("clear_marks", book, app=rec)
    took = time.perf_counter() - started
    after = _look(book)
    changed = [k for k in before if before[k] != after.get(k)]
    changed += [k for k in after if k not in before]
    step("清除标记后与校验前完全一致（公式、底色、批注、工作表）", not changed,
         f"{took:.1f} 秒；不同：{changed or '无'}")

    formulas = {s.name: s.api.UsedRange.Formula for s in book.sheets}
    macros.run("compute_status", book, app=rec)
    kept = {s.name: s.api.UsedRange.Formula for s in book.sheets} == formulas
    step("计算达标：模板的公式和表一个不变", kept and "达标计算结果" not in
         [s.name for s in book.sheets], rec.texts[-1][:60])

    sheet.api.Protect()
    try:
        before = _look(book)
        macros.run("check_workbook", book, app=rec)
        step("受保护的工作表：不做任何修改并说明", _look(book) == before and "受保护" in
             rec.texts[-1], rec.texts[-1][:60])
    finally:
        sheet.api.Unprotect()
    book.sheets["2020"].delete()
    sheet.range("B20:I319").clear_contents()


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
        if str(loaded).endswith("jinguo_xl.xlam"):
            check_opens_without_repair(app, Path(loaded), folder)
            check_vba_compiles(app, "jinguo_xl.xlam")
            check_function_help(app, "jinguo_xl.xlam")

        check_blank_template(app, folder, list(rules.industries))
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

        check_template_calculates(app, book.api, "填写后的模板", list(rules.industries))
        book.save()
        cli = check_file(book_path)
        step("单元格结论与命令行一致", status == cli.reason, f"{status} / {cli.reason}")
        check_buttons_give_back(app, book)

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
