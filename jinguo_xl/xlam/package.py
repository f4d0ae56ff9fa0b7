"""The add-in's package parts around the VBA project: ribbon, config sheet, properties.

pyOpenVBA rewrites only ``xl/vbaProject.bin``; everything else Excel reads from the zip is set
here, part by part, and the whole package is written once with ``[Content_Types].xml`` first
and fixed timestamps, so building twice gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

RIBBON_PART = "customUI/customUI14.xml"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_NS = "http://schemas.microsoft.com/office/2009/07/customui"
CONF_SHEET = "jinguo_xl.conf"
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _rels_with_ribbon(rels: str) -> str:
    """Root relationships: the 2006 ``customUI.xml`` out (only one ribbon part is applied,
    MS-OI29500 §3.4.1.4), the ``customUI14.xml`` part in."""
    rels = re.sub(r"<Relationship [^>]*Target=\"customUI/customUI\.xml\"[^>]*/>", "", rels)
    rel = f'<Relationship Id="rIdJinguoRibbon" Type="{RIBBON_REL}" Target="{RIBBON_PART}"/>'
    return rels.replace("</Relationships>", rel + "</Relationships>")


def _workbook(xml: str) -> str:
    """Sheet renamed to the config name xlwings looks for; the author's absolute path out."""
    xml = xml.replace('name="_myaddin.conf"', f'name="{CONF_SHEET}"')
    return re.sub(r"<mc:AlternateContent\b.*?</mc:AlternateContent>", "", xml, flags=re.DOTALL)


def config_sheet(rows: list[tuple[str, str]], template: str) -> tuple[str, str]:
    """(sheet XML, shared strings XML) holding only keys that have values.

    A key present with an empty value would hide the same key in the user's config file
    (xlwings stops at the first layer where a key exists), so empty rows never go in. The
    sheet keeps its ``codeName``: the VBA document module ``Sheet2`` is bound by it.
    """
    code_name = re.search(r"<sheetPr\b[^>]*/>", template)
    strings: list[str] = []
    cells = []
    for number, (key, value) in enumerate(rows, start=1):
        if not key or not value:
            raise ValueError(f"配置项不能为空：{key!r} = {value!r}")
        refs = []
        for column, text in (("A", key), ("B", value)):
            strings.append(text)
            refs.append(f'<c r="{column}{number}" t="s"><v>{len(strings) - 1}</v></c>')
        cells.append(f'<row r="{number}">{"".join(refs)}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{_MAIN}">'
        f"{code_name.group(0) if code_name else ''}"
        f'<dimension ref="A1:B{len(rows)}"/>'
        '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        '<cols><col min="1" max="1" width="30" customWidth="1"/>'
        '<col min="2" max="2" width="30" customWidth="1"/></cols>'
        f"<sheetData>{''.join(cells)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<sst xmlns="{_MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        + "</sst>"
    )
    return sheet, sst


def _core(xml: str, title: str) -> str:
    """Document properties that speak of this add-in, with fixed dates for a stable build."""
    xml = re.sub(r"<dc:creator>.*?</dc:creator>", "<dc:creator>jinguo_xl</dc:creator>", xml)
    xml = re.sub(
        r"<cp:lastModifiedBy>.*?</cp:lastModifiedBy>",
        "<cp:lastModifiedBy>jinguo_xl</cp:lastModifiedBy>",
        xml,
    )
    xml = xml.replace("<dc:title />", f"<dc:title>{escape(title)}</dc:title>")
    return re.sub(
        r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", r"\g<1>2020-01-01T00:00:00Z", xml
    )


def _content_types(xml: str) -> str:
    """customUI parts are ``application/xml`` (MS-OI29500 §3.4.1.4): the ``xml`` Default."""
    if 'Extension="xml"' not in xml:
        xml = xml.replace(
            "<Override", '<Default Extension="xml" ContentType="application/xml" /><Override', 1
        )
    return xml


def finish(
    package: bytes,
    ribbon_xml: str,
    conf_rows: list[tuple[str, str]],
    title: str,
    *,
    vba_project: bytes | None = None,
) -> bytes:
    """The package with ribbon, config sheet and properties (and, when given, a replacement
    ``xl/vbaProject.bin``) in place, written reproducibly."""
    with zipfile.ZipFile(io.BytesIO(package)) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    if vba_project is not None:
        parts["xl/vbaProject.bin"] = vba_project
    parts.pop("customUI/customUI.xml", None)
    parts[RIBBON_PART] = ribbon_xml.encode("utf-8")
    parts["_rels/.rels"] = _rels_with_ribbon(parts["_rels/.rels"].decode("utf-8")).encode()
    parts["xl/workbook.xml"] = _workbook(parts["xl/workbook.xml"].decode("utf-8")).encode()
    sheet, sst = config_sheet(conf_rows, parts["xl/worksheets/sheet1.xml"].decode("utf-8"))
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    parts["xl/sharedStrings.xml"] = sst.encode("utf-8")
    parts["docProps/core.xml"] = _core(parts["docProps/core.xml"].decode("utf-8"), title).encode()
    types = _content_types(parts.pop("[Content_Types].xml").decode("utf-8"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in [("[Content_Types].xml", types.encode("utf-8")), *sorted(parts.items())]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    return out.getvalue()
