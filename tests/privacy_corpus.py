"""Workbooks with personal data planted in every part of the package, and an independent scan.

The scan here shares nothing with the production pattern module: it unzips every part,
resolves entities, folds width and removes zero-width characters, joins digits across any
short run of punctuation, and looks for every planted value and for the generic shapes of a
mobile number, an ID and an address. A masked output must give it nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.packaging.custom import FloatProperty, StringProperty
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from tests.conftest import base_line, people, stacked, woman

# One distinct number per part class, so a leak names the part it came from.
PLANTED = {
    "cell-dash": "138—0013—8101",
    "cell-zero-width": "138\u200b0013\u200b8102",
    "cell-thin": "138\u20090013\u20098103",
    "cell-yi": "138一0013一8104",
    "cell-comma": "138，0013，8105",
    "cell-slash": "138/0013/8106",
    "cell-underscore": "138_0013_8107",
    "cell-dot-middle": "138·0013·8108",
    "cell-en-dash": "138–0013–8109",
    "cell-plus86": "+86 138 0013 8110",
    "cell-0086": "0086-13800138111",
    "cell-full-width": "１３８００１３８１１２",
    "comment": "138 0013 8113",
    "header": "13800138114",
    "footer": "(023)6712-5201",
    "core-title": "13800138115",
    "core-description": "13800138116",
    "core-creator": "13800138117",
    "core-keywords": "13800138118",
    "custom-text": "138\u200b0013\u200b8119",
    "custom-number": "13800138120",
    "hyperlink-target": "13800138121",
    "hyperlink-display": "13800138122",
    "hyperlink-formula": "13800138123",
    "validation-prompt": "13800138124",
    "validation-error": "023-67125202",
    "defined-name": "13800138125",
    "sheet-name": "13800138126",
    "external-cache": "13800138127",
    "external-path": "13800138128",
    "threaded-comment": "13800138129",
    "drawing": "13800138130",
    "chart-title": "13800138131",
    "address-cell-phone-first": "13800138132",
}
IDS = {
    "id-18": "500233199207085012",
    "id-x": "50023319920708503X",
    "id-15": "500233920708501",
    "id-spaced": "500233 19920708 5039",
    "id-sci-text": "5.00233199207085E+17",
}
ADDRESSES = {
    "street": "重庆市渝中区民族路18号",
    "estate": "阳光小区3栋2单元501室",
    "village": "城口县鸡鸣乡青山村3组",
}

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"


def clerk_workbook(path: Path, *, start_phone: int = 0, name: str = "示例合作社") -> Path:
    """An ordinary base workbook, as a clerk fills it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "统计表"
    rows = stacked(base_line(name), {"手工制作": people(4, extra=[1.5], start_phone=start_phone)})
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def hostile_workbook(path: Path) -> Path:
    """A base workbook with a phone, an ID or an address in every part class."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "统计表"
    note = "、".join(v for k, v in PLANTED.items() if k.startswith("cell-"))
    grid = stacked(
        base_line(),
        {
            "手工制作": [
                woman("张玉兰", "13812345678", extra=[1.5], note=note),
                woman(
                    "李秀英",
                    "13912345678",
                    extra=[0.5],
                    address=f"电话{PLANTED['address-cell-phone-first']}，城口县鸡鸣乡青山村2组",
                    note="；".join([*IDS.values(), *ADDRESSES.values()]),
                ),
            ]
        },
    )
    for r, values in enumerate(grid, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    ws["L1"] = 500233199207085012  # an ID typed as a number: Excel keeps 5.00233199207085E+17
    ws["L2"] = f"拨打 {PLANTED['comment']}"
    ws["L2"].comment = Comment(f"联系人电话 {PLANTED['comment']}，住{ADDRESSES['village']}", "王")
    ws.oddHeader.center.text = f"填报人电话 {PLANTED['header']}"
    ws.oddFooter.right.text = f"办公室 {PLANTED['footer']}"
    ws["L3"] = "拨打"
    ws["L3"].hyperlink = f"tel:{PLANTED['hyperlink-target']}"
    ws["L3"].hyperlink.display = PLANTED["hyperlink-display"]
    ws["L4"] = f'=HYPERLINK("tel:{PLANTED["hyperlink-formula"]}","拨打")'
    dv = DataValidation(
        type="list",
        formula1='"是,否"',
        prompt=f"有问题请打{PLANTED['validation-prompt']}",
        promptTitle="提示",
        error=f"请联系 {PLANTED['validation-error']}",
        errorTitle="错误",
        showInputMessage=True,
        showErrorMessage=True,
    )
    ws.add_data_validation(dv)
    dv.add("M5:M9")
    wb.defined_names["联系电话"] = DefinedName("联系电话", attr_text=f'"{PLANTED["defined-name"]}"')
    other = wb.create_sheet(f"电话{PLANTED['sheet-name']}")
    other["A1"] = "负责人"
    ws["L5"] = f"='电话{PLANTED['sheet-name']}'!A1"
    wb.properties.title = f"联系 {PLANTED['core-title']}"
    wb.properties.description = f"{PLANTED['core-description']} {ADDRESSES['street']}"
    wb.properties.creator = f"张三{PLANTED['core-creator']}"
    wb.properties.keywords = f"{PLANTED['core-keywords']},{IDS['id-18']}"
    wb.custom_doc_props.append(StringProperty(name="联系人", value=PLANTED["custom-text"]))
    wb.custom_doc_props.append(
        FloatProperty(name="电话号码", value=float(PLANTED["custom-number"]))
    )
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.title = f"负责人 {PLANTED['chart-title']}"
    chart.add_data(Reference(ws, min_col=7, min_row=9, max_row=10))
    ws.add_chart(chart, "O2")
    ws["L6"] = "=[1]花名册!C2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _add_raw_parts(path)
    return path


def _add_raw_parts(path: Path) -> None:
    """Parts openpyxl cannot write: an external link with its cache, a threaded comment, a
    drawing text box (added to the saved package by hand, as Excel would write them)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    cached = PLANTED["external-cache"]
    parts["xl/externalLinks/externalLink1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{_REL}"><externalBook r:id="rId1"><sheetNames><sheetName val="花名册"/>'
        '</sheetNames><sheetDataSet><sheetData sheetId="0"><row r="2">'
        f'<cell r="C2"><v>{cached}</v></cell><cell r="D2" t="str"><v>{ADDRESSES["village"]}</v>'
        "</cell></row></sheetData></sheetDataSet></externalBook></externalLink>"
    ).encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/externalLinkPath" '
        f'Target="file:///D:/花名册{PLANTED["external-path"]}.xlsx" TargetMode="External"/>'
        "</Relationships>"
    ).encode()
    parts["xl/threadedComments/threadedComment1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
        'threadedcomments"><threadedComment ref="L2" id="{00000000-0001-0000-0000-000000000000}">'
        f"<text>已电话核实 {PLANTED['threaded-comment']}</text></threadedComment>"
        "</ThreadedComments>"
    ).encode()
    parts["xl/drawings/drawing9.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
        "<xdr:sp><xdr:txBody><a:p><a:r><a:t>联系</a:t></a:r><a:r><a:t>"
        f"{PLANTED['drawing'][:5]}</a:t></a:r><a:r><a:t>{PLANTED['drawing'][5:]}</a:t></a:r>"
        "</a:p></xdr:txBody></xdr:sp></xdr:twoCellAnchor></xdr:wsDr>"
    ).encode()
    book = parts["xl/workbook.xml"].decode()
    book = book.replace(
        "</sheets>", '</sheets><externalReferences><externalReference r:id="rIdX1"/>'
        "</externalReferences>", 1
    )
    if 'xmlns:r="' not in book:
        book = book.replace("<workbook ", f'<workbook xmlns:r="{_REL}" ', 1)
    parts["xl/workbook.xml"] = book.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdX1" Type="{_REL}/externalLink" '
        'Target="externalLinks/externalLink1.xml"/></Relationships>',
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/externalLinks/externalLink1.xml" '
        f'ContentType="{_CT}.spreadsheetml.externalLink+xml"/>'
        '<Override PartName="/xl/threadedComments/threadedComment1.xml" '
        'ContentType="application/vnd.ms-excel.threadedcomments+xml"/>'
        '<Override PartName="/xl/drawings/drawing9.xml" '
        f'ContentType="{_CT}.drawing+xml"/></Types>',
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)


# ---------------------------------------------------------------------- independent scan

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_JOIN = re.compile(r"(?<=\d)(?:[^\w<>\"']|[_一]){1,3}(?=\d)")
_MOBILE = re.compile(r"(?<!\d)(?:86)?(1[3-9]\d{9})(?!\d)")
_ID = re.compile(r"(?<!\d)[1-9]\d{5}(?:19|20)\d\d[01]\d[0-3]\d\d{3}[\dXx](?!\d)")
_ID15 = re.compile(r"(?<!\d)[1-9]\d{5}\d\d[01]\d[0-3]\d\d{3}(?!\d)")
_SCI = re.compile(r"\d\.\d{6,}E\+1[47]", re.I)
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}\d{7,8}(?!\d)")
_DIGEST = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
_PLACES = re.compile(r"村\d+组|路\d+号|小区\d+栋|\d+单元\d+室|村[一二三四五六七八九十]+组")


def _texts(path: Path) -> dict[str, str]:
    """Every part's text: tags out (their attribute values kept), entities resolved, widths
    folded, invisible characters gone, digits joined across short punctuation."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            raw = z.read(info).decode("utf-8", "ignore")
            raw = re.sub(r"<x:Anchor>.*?</x:Anchor>", "", raw)  # a comment box's grid position
            raw = re.sub(r"</(?:a:)?t>\s*</(?:a:)?r>\s*<(?:a:)?r>(?:\s*<(?:a:)?rPr[^>]*/>)?\s*"
                         r"<(?:a:)?t(?: [^>]*)?>", "", raw)  # rich-text runs read joined
            text = re.sub(r"<[^>]*?((?:\s[\w:]+=\"[^\"]*\")*)\s*/?>", r" \1 ", raw)
            text = unicodedata.normalize("NFKC", html.unescape(text)).translate(_INVISIBLE)
            text = _DIGEST.sub(" ", text)  # SHA-256 fingerprints of the inputs: not personal
            out[info.filename] = _JOIN.sub("", text)
    return out


def independent_leaks(path: Path) -> list[tuple[str, str]]:
    """(part, what) for every planted value and every phone/ID/address shape in the file."""
    found = []
    planted = {
        k: re.sub(r"\D", "", unicodedata.normalize("NFKC", v).translate(_INVISIBLE))
        for k, v in {**PLANTED, **IDS}.items()
        if k != "id-sci-text"
    }
    for part, text in _texts(path).items():
        for label, digits in planted.items():
            if digits[-11:] in text:
                found.append((part, label))
        for pattern in (_MOBILE, _ID, _ID15, _SCI, _LANDLINE, _PLACES):
            found += [
                (part, m.group())
                for m in pattern.finditer(text)
                if not m.group().endswith(("1234567", "12345678"))  # a message's format example
            ]
    return sorted(set(found))
