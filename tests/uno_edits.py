"""Structure edits made by LibreOffice itself, as a clerk makes them, then recalculation.

Run by the system Python (the one with LibreOffice's ``uno`` module), not by the project's:
``python3 uno_edits.py jobs.json``. Each job opens a workbook in one headless LibreOffice,
applies its edits through the spreadsheet's own API (deleting and inserting rows moves every
reference the way it does for a clerk, unlike a file written by a library), recalculates and
saves a copy as .xlsx. Prints, as JSON, the seconds each recalculation took.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _url(path: str) -> str:
    return uno.systemPathToFileUrl(os.path.abspath(path))


def _connect(pipe: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(240):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.25)
    raise RuntimeError("LibreOffice did not start")


def _edit(doc, edit: dict) -> None:
    op = edit["op"]
    sheets = doc.Sheets
    if op == "remove_sheet":
        sheets.removeByName(edit["sheet"])
        return
    sheet = sheets.getByName(edit["sheet"])
    if op == "delete_rows":
        sheet.Rows.removeByIndex(edit["row"] - 1, edit.get("count", 1))
    elif op == "insert_rows":
        sheet.Rows.insertByIndex(edit["row"] - 1, edit.get("count", 1))
    elif op == "unmerge":
        sheet.getCellRangeByName(edit["range"]).merge(False)
    elif op == "unprotect":
        sheet.unprotect("")
    elif op == "values":
        # Typed or pasted values from ``cell`` on: texts as texts, numbers as numbers.
        if "clear" in edit:  # a paste replaces what was there, blanks included
            sheet.getCellRangeByName(edit["clear"]).clearContents(1 | 2 | 4 | 16)
        first = sheet.getCellRangeByName(edit["cell"]).CellAddress
        for i, row in enumerate(edit["rows"]):
            for j, value in enumerate(row):
                if value is None or value == "":
                    continue
                cell = sheet.getCellByPosition(first.Column + j, first.Row + i)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell.setValue(value)
                else:
                    cell.setString(str(value))
    elif op == "formula":
        # One formula copied over a range, relative references moving as Ctrl+D moves them.
        area = sheet.getCellRangeByName(edit["range"])
        a = area.RangeAddress
        top = sheet.getCellByPosition(a.StartColumn, a.StartRow)
        top.setFormula(edit["formula"])
        area.fillAuto(uno.Enum("com.sun.star.sheet.FillDirection", "TO_BOTTOM"), 1)
    else:
        raise ValueError(op)


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        jobs = json.load(fh)
    pipe = f"jinguo{os.getpid()}"
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
         f"-env:UserInstallation={_url(profile)}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    times = {}
    try:
        ctx = _connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        for job in jobs:
            hidden = (_prop("Hidden", True),)
            doc = desktop.loadComponentFromURL(_url(job["src"]), "_blank", 0, hidden)
            try:
                for edit in job.get("edits", []):
                    _edit(doc, edit)
                start = time.perf_counter()
                doc.calculateAll()
                times[job["dst"]] = time.perf_counter() - start
                doc.storeToURL(_url(job["dst"]), (_prop("FilterName", "Calc MS Excel 2007 XML"),))
            finally:
                doc.close(True)
        with contextlib.suppress(Exception):  # the bridge closes as the office quits
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()
    print(json.dumps(times))


if __name__ == "__main__":
    main()
