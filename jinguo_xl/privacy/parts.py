"""Personal data in every part of an .xlsx package: masked part by part, and searched for.

Cells are only one place a clerk leaves a phone. A workbook is a zip of XML parts, and each of
them can carry one: comments and threaded comments, page headers and footers, document
properties (core, app, custom), hyperlink targets and display texts, HYPERLINK formulas,
data-validation prompts and error messages, defined names, sheet names, the cached values of
an external link (a 联系电话 column linked to a 花名册 keeps every number), drawing and chart
text, pivot caches. So a masked file is finished here, on its bytes:

* :func:`scrub` masks every text node and attribute value of every XML part with the one
  pattern module (:mod:`~jinguo_xl.privacy.patterns`); a personal number in a numeric place
  (a cell value, a chart or pivot cache, a numeric property) becomes ``0``; cached rows of
  external links are removed. Where ``*`` is not allowed (sheet names, formulas, defined
  names) hidden digits are written ``＊``, the same in the name and in the formulas that
  refer to it.
* :func:`scan` searches every XML part for what remains, reading rich-text runs joined (a
  phone split over two runs is still a phone), and says where: the part, in Chinese, and the
  cell when there is one. It shows only masked excerpts.

Only the package's bytes are handled here; opening a file safely is the reader's job.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from jinguo_xl.privacy import patterns

WIDE_STAR = "＊"  # U+FF0A: allowed in sheet names and formulas, unlike "*"

_TAG_NAME = re.compile(r"<\s*([\w:.-]+)")
_ATTR = re.compile(r"""(\s[\w:.-]+\s*=\s*)(["'])(.*?)\2""", re.S)
_ATTR_NAME = re.compile(r"\s([\w:.-]+)")
_CELL_TYPE = re.compile(r"""\st\s*=\s*["']([\w]+)["']""")
_CELL_REF = re.compile(r"""\sr\s*=\s*["']([A-Z]{1,3}\d+)["']""")
_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[Ee][+-]?\d+)?")
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#\d+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# Elements whose text is a formula or a name: hidden digits there are ``＊``.
_FORMULA = frozenset({"f", "formula", "formula1", "formula2", "definedName", "c:f", "x14:f",
                      "xm:f"})
# Elements whose text is a number (a cell value, a cache, a numeric property).
_NUMERIC = frozenset({"v", "c:v", "vt:i1", "vt:i2", "vt:i4", "vt:i8", "vt:int", "vt:ui1",
                      "vt:ui2", "vt:ui4", "vt:ui8", "vt:uint", "vt:r4", "vt:r8", "vt:decimal"})
_NUMERIC_ATTR_TAGS = frozenset({"n"})  # pivot cache records: <n v="…"/>
# Containers whose text runs are read (and, when they hold personal data, rewritten) joined.
_RICH = re.compile(r"<(si|is|text|a:p)\b[^>]*>(.*?)</\1>", re.S)
_RUN_TEXT = re.compile(r"<(t|a:t)\b[^>]*>(.*?)</\1>", re.S)
_EXTERNAL_ROWS = re.compile(rb"<row\b[^>]*/>|<row\b.*?</row>", re.S)
_EXTERNAL_LINK = re.compile(r"^xl/externalLinks/externalLink\d+\.xml$", re.I)

REMOVED_EXTERNAL = "外部链接中缓存的数值（打开时可重新链接更新）"


def unescape(text: str) -> str:
    """XML character and entity references resolved (``&#49;`` is a digit like any other)."""
    if "&" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        ref = m.group(1)
        if ref.startswith("#x"):
            return chr(int(ref[2:], 16))
        if ref.startswith("#"):
            return chr(int(ref[1:]))
        return _NAMED[ref]

    try:
        return _ENTITY.sub(one, text)
    except (ValueError, OverflowError):
        return text


def _utf8(data: bytes) -> bytes | None:
    """A part's bytes as UTF-8 if it is XML (a UTF-16 part is converted), else None (images,
    binary parts)."""
    head = data[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace").encode("utf-8")
    if head[:2] in (b"<\x00", b"\x00<"):
        codec = "utf-16-le" if head[:1] == b"<" else "utf-16-be"
        return data.decode(codec, "replace").encode("utf-8")
    stripped = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"<"):
        return None
    return data


def _is_number(text: str) -> bool:
    return _FLOAT.fullmatch(text.strip()) is not None


# ---------------------------------------------------------------------- scrub


class _Scrubber:
    """Masks one part's text; counts what it changed."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.whole_star = name.lower() in ("xl/workbook.xml", "docprops/app.xml")
        self.changed = 0

    def text(self, raw: str, element: str, numeric: bool) -> str:
        value = unescape(raw)
        if numeric and _is_number(value):
            if patterns.find(value, addresses=False):
                self.changed += 1
                return "0"
            return raw
        star = WIDE_STAR if self.whole_star or element in _FORMULA else "*"
        masked = patterns.mask(value, star=star)
        if masked == value:
            return raw
        self.changed += 1
        return escape(masked)

    def tag(self, tag: str) -> str:
        if "=" not in tag or tag.startswith(("<?", "<!")):
            return tag
        name = (_TAG_NAME.match(tag) or [None, ""])[1]
        star = WIDE_STAR if self.whole_star or name in ("sheet", "definedName") else "*"

        def attr(m: re.Match[str]) -> str:
            value = unescape(m.group(3))
            attr_name = _ATTR_NAME.match(m.group(1))
            numeric = name in _NUMERIC_ATTR_TAGS and attr_name and attr_name[1] == "v"
            if numeric and _is_number(value):
                if not patterns.find(value, addresses=False):
                    return m.group()
                self.changed += 1
                return f"{m.group(1)}{m.group(2)}0{m.group(2)}"
            masked = patterns.mask(value, star=star)
            if masked == value:
                return m.group()
            self.changed += 1
            quoted = escape(masked, {'"': "&quot;", "'": "&apos;"})
            return f"{m.group(1)}{m.group(2)}{quoted}{m.group(2)}"

        return _ATTR.sub(attr, tag)

    def rich(self, text: str) -> str:
        """Rich text whose runs together hold personal data becomes one plain masked run."""

        def container(m: re.Match[str]) -> str:
            runs = list(_RUN_TEXT.finditer(m.group(2)))
            if len(runs) < 2:
                return m.group()
            joined = "".join(unescape(r.group(2)) for r in runs)
            if not patterns.find(joined):
                return m.group()
            self.changed += 1
            masked = escape(patterns.mask(joined))
            tag = m.group(1)
            open_tag = m.group()[: m.group().index(">") + 1]
            if tag == "a:p":
                return f"{open_tag}<a:r><a:t>{masked}</a:t></a:r></a:p>"
            return f'{open_tag}<t xml:space="preserve">{masked}</t></{tag}>'

        if "</r>" not in text and "</a:r>" not in text:
            return text  # no rich text at all: nothing to join
        return _RICH.sub(container, text)

    def part(self, data: bytes) -> bytes:
        if _EXTERNAL_LINK.match(self.name):
            data, removed = _EXTERNAL_ROWS.subn(b"", data)
            self.changed += removed
        if b"</r>" in data or b"</a:r>" in data:  # rich text: read (and rewritten) joined
            data = self.rich(data.decode("utf-8", "replace")).encode("utf-8")
        spans = affected(data)
        if not spans:
            return data
        out: list[bytes] = []
        last = 0
        for start, end in spans:
            out.append(data[last:start])
            token = data[start:end].decode("utf-8", "replace")
            if token.startswith(("<![CDATA[", "<!--")):
                opener, closer = ("<![CDATA[", "]]>") if token[2] == "[" else ("<!--", "-->")
                inner = token[len(opener) : len(token) - len(closer)]
                masked = patterns.mask(inner)
                self.changed += masked != inner
                safe = masked.replace(closer, closer[:-1] + " " + closer[-1])
                token = f"{opener}{safe}{closer}"
            elif token.startswith("<"):
                token = self.tag(token)
            else:
                element, cell_type = _context(data, start)
                numeric = element in _NUMERIC and (element != "v" or cell_type == "n")
                token = self.text(token, element, numeric)
            out.append(token.encode("utf-8"))
            last = end
        out.append(data[last:])
        return b"".join(out)


# Where personal data could be, found in the part's UTF-8 bytes without decoding it: a group
# of 3+ digits and another of 3 a separator apart, as every phone and ID spelling has (a
# group right after a letter or ``$`` is a cell reference such as ``$H512``, unless it has 8
# digits, more than any row number), three full-width digits, digits spaced one by one, a
# zero-width or odd space character anywhere, a house word right after a number, or a
# character reference. Everything else in a part (almost all of a large sheet, formulas
# included) is copied without being decoded or looked at. Each branch starts with a byte
# that is rare in formulas, so the search stays fast on a sheet of 100 000 formulas.
_HOUSE = "|".join(("组", "社", "队", "号", "栋", "幢", "单元", "室", "楼", "弄", "期")).encode()
_NUMERALS = tuple(ch.encode() for ch in "一二三四五六七八九十百零两")
# Two searches, each led by a lookahead on its first byte: Python's engine then skips
# straight to the bytes that can start a match instead of trying every branch at every byte.
_CANDIDATES = (
    re.compile(
        rb"(?=[0-9])(?:(?<![A-Z$0-9])[0-9]{3,}[^<>0-9]{0,6}[0-9]{3}|[0-9]{8}|(?:[0-9] ){6}[0-9])"
    ),
    re.compile(
        rb"(?=[\xef\xe2\xc2\xe1&])(?:\xef\xbc[\x90-\x99]\xef\xbc[\x90-\x99]\xef\xbc[\x90-\x99]"
        rb"|\xe2\x80[\x80-\x8d\xaf]|\xe2\x81\xa0|\xef\xbb\xbf|\xc2\xad|\xe1\xa0\x8e|&#)"
    ),
)
_HOUSE_WORD = re.compile(_HOUSE)


def _after_number(data: bytes, at: int) -> bool:
    """Whether a house word at ``at`` follows a number (3组, 三组, 3 号)."""
    before = data[max(0, at - 4) : at].rstrip(b" ")
    return before[-1:].isdigit() or before.endswith(_NUMERALS) or before.endswith(b"\xe3\x80\x80")


def _candidates(data: bytes) -> list[int]:
    found = {m.start() for pattern in _CANDIDATES for m in pattern.finditer(data)}
    found.update(m.start() for m in _HOUSE_WORD.finditer(data) if _after_number(data, m.start()))
    return sorted(found)


# How far back the enclosing tag or cell is looked for: a cell's formula is at most 8192
# characters, so its ``<c`` tag is always nearer; a bounded look keeps a large sheet linear.
_WINDOW = 1 << 17


def affected(data: bytes) -> list[tuple[int, int]]:
    """The tokens (a text node, a whole tag, a CDATA section or comment) of a part's UTF-8
    bytes that may hold personal data, as (start, end), in order and without overlap."""
    spans: list[tuple[int, int]] = []
    covered = -1
    for at in _candidates(data):
        if at < covered:
            continue
        lt, gt = data.rfind(b"<", 0, at), data.rfind(b">", 0, at)
        if lt > gt:  # inside markup: a tag's attributes, a CDATA section or a comment
            closer = b"]]>" if data.startswith(b"<![CDATA[", lt) else (
                b"-->" if data.startswith(b"<!--", lt) else b">"
            )
            stop = data.find(closer, at)
            start, end = lt, len(data) if stop < 0 else stop + len(closer)
        else:
            stop = data.find(b"<", at)
            start, end = gt + 1, len(data) if stop < 0 else stop
        spans.append((start, end))
        covered = end
    return spans


def _tag_at(data: bytes, at: int) -> str:
    return data[at : data.find(b">", at) + 1].decode("utf-8", "replace")


def _context(data: bytes, at: int) -> tuple[str, str]:
    """(element, type of the enclosing cell) for the text node starting at ``at``."""
    lo = max(0, at - _WINDOW)
    tag_at = data.rfind(b"<", lo, at)
    tag = data[tag_at:at].decode("utf-8", "replace")
    if tag_at < 0 or tag.startswith(("</", "<!", "<?")):
        return "", ""
    element = (_TAG_NAME.match(tag) or [None, ""])[1]
    if element != "v":
        return element, ""
    cell_at = max(data.rfind(b"<c ", lo, at), data.rfind(b"<cell ", lo, at))
    if cell_at < 0:
        return element, "n"
    t = _CELL_TYPE.search(_tag_at(data, cell_at))
    return element, t.group(1) if t else "n"


def _cell_of(data: bytes, at: int, sheet_end: int) -> str:
    """The reference of the cell whose markup holds position ``at`` (before ``sheet_end``,
    where the cells end), or ""."""
    if 0 <= sheet_end < at:
        return ""
    lo = max(0, at - _WINDOW)
    cell_at = max(data.rfind(b"<c ", lo, at + 1), data.rfind(b"<cell ", lo, at + 1))
    if cell_at < 0:
        return ""
    if data.rfind(b"</c>", cell_at, at) >= 0 or data.rfind(b"</cell>", cell_at, at) >= 0:
        return ""
    ref = _CELL_REF.search(_tag_at(data, cell_at))
    return ref.group(1) if ref else ""


@dataclass(slots=True)
class Scrubbed:
    """A scrubbed package: its bytes, and what was changed or removed, by part."""

    data: bytes
    changed: dict[str, int]
    removed: list[str]


def scrub(data: bytes) -> Scrubbed:
    """Every XML part of the package in ``data`` with its personal data masked."""
    out = io.BytesIO()
    changed: dict[str, int] = {}
    removed: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            xml = None if info.is_dir() else _utf8(body)
            if xml is not None:
                scrubber = _Scrubber(info.filename)
                new = scrubber.part(xml)
                if scrubber.changed:
                    changed[info.filename] = scrubber.changed
                    body = new
                    if _EXTERNAL_LINK.match(info.filename) and REMOVED_EXTERNAL not in removed:
                        removed.append(REMOVED_EXTERNAL)
            target = zipfile.ZipInfo(info.filename, info.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            target.external_attr = info.external_attr
            zout.writestr(target, body)
    return Scrubbed(out.getvalue(), changed, removed)


# ---------------------------------------------------------------------- scan


@dataclass(frozen=True, slots=True)
class Leak:
    """Personal data found in a package: where, what kind, and a masked excerpt."""

    part: str  # the part's name in the package
    where: str  # the part in Chinese (工作表“基本信息”、批注 …)
    cell: str  # a cell reference when there is one, else ""
    kind: str
    excerpt: str  # masked: never the value itself

    def describe(self) -> str:
        at = f" {self.cell}" if self.cell else ""
        return f"{self.where}{at}：{self.kind} {self.excerpt}"


_PART_NAMES: tuple[tuple[str, str], ...] = (
    ("docprops/core.xml", "文档属性（标题、主题、作者、关键词、备注）"),
    ("docprops/app.xml", "文档属性（公司、经理、工作表名称列表）"),
    ("docprops/custom.xml", "自定义文档属性"),
    ("xl/workbook.xml", "工作簿（工作表名称、定义的名称）"),
    ("xl/sharedstrings.xml", "单元格中的文字"),
    ("xl/comments", "批注"),
    ("xl/threadedcomments/", "批注（新式批注）"),
    ("xl/persons/", "批注作者"),
    ("xl/externallinks/_rels/", "外部链接的文件路径"),
    ("xl/externallinks/", "外部链接（缓存的数值）"),
    ("xl/drawings/", "图形、文本框中的文字"),
    ("xl/charts/", "图表（标题和缓存的数值）"),
    ("xl/pivotcache/", "数据透视表缓存"),
    ("xl/pivottables/", "数据透视表"),
    ("xl/tables/", "表格（列名）"),
    ("customxml/", "自定义 XML"),
)


def _sheet_names(parts: dict[str, str]) -> dict[str, str]:
    """Sheet part name → sheet name (masked: a sheet name can itself be personal data)."""
    book = next((t for n, t in parts.items() if n.lower() == "xl/workbook.xml"), "")
    rels = next((t for n, t in parts.items() if n.lower() == "xl/_rels/workbook.xml.rels"), "")
    targets = {}
    for m in re.finditer(r"<Relationship\b[^>]*>", rels):
        rid = re.search(r'\bId="([^"]*)"', m.group())
        target = re.search(r'\bTarget="([^"]*)"', m.group())
        if rid and target:
            path = target.group(1)
            path = path.lstrip("/") if path.startswith("/") else posixpath.normpath(
                posixpath.join("xl", path)
            )
            targets[rid.group(1)] = path.lower()
    names = {}
    for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", book):
        name = re.search(r'\bname="([^"]*)"', m.group())
        rid = re.search(r'\b\w+:id="([^"]*)"', m.group())
        if name and rid and rid.group(1) in targets:
            names[targets[rid.group(1)]] = patterns.mask(unescape(name.group(1)))
    return names


def describe_part(name: str, sheets: dict[str, str]) -> str:
    """A part's name as a clerk knows it."""
    low = name.lower()
    if low in sheets:
        return f"工作表“{sheets[low]}”（单元格、公式、页眉页脚、数据验证提示、超链接文字）"
    if low.startswith("xl/worksheets/_rels/"):
        sheet = sheets.get("xl/worksheets/" + posixpath.basename(low)[: -len(".rels")])
        return f"工作表“{sheet}”的超链接地址" if sheet else "超链接地址"
    for prefix, label in _PART_NAMES:
        if low.startswith(prefix):
            return label
    return name


def content_classes(names: Iterable[str]) -> set[str]:
    """The kinds of content (批注, 外部链接 …) that parts of these names hold: comparing a
    copy's with its original's tells what the copy no longer carries."""
    known = {label for _, label in _PART_NAMES}
    return {label for n in names if (label := describe_part(n, {})) in known}


def labels(data: bytes) -> dict[str, str]:
    """Part name → the part as a clerk knows it, for every part of a package in memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [i.filename for i in archive.infolist() if not i.is_dir()]
        wanted = [n for n in names if n.lower() in _BOOK_PARTS]
        sheets = _sheet_names({n: archive.read(n).decode("utf-8", "replace") for n in wanted})
    return {n: describe_part(n, sheets) for n in names}


def _container_texts(data: bytes) -> Iterable[str]:
    if b"</r>" not in data and b"</a:r>" not in data:
        return
    for m in _RICH.finditer(data.decode("utf-8", "replace")):
        runs = _RUN_TEXT.findall(m.group(2))
        if len(runs) > 1:
            yield "".join(unescape(body) for _, body in runs)


_BOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def scan(parts: Iterable[tuple[str, bytes]]) -> list[Leak]:
    """Every phone, 身份证号 and address in the XML parts given (name, bytes), in order."""
    xml: dict[str, bytes] = {}
    for name, data in parts:
        utf8 = _utf8(data)
        if utf8 is not None:
            xml[name] = utf8
    sheets = _sheet_names(
        {n: d.decode("utf-8", "replace") for n, d in xml.items() if n.lower() in _BOOK_PARTS}
    )
    leaks: list[Leak] = []
    for name, data in xml.items():
        where = describe_part(name, sheets)
        found: dict[tuple[str, str, str], None] = {}
        sheet_end = data.find(b"</sheetData")
        for start, end in affected(data):
            token = data[start:end].decode("utf-8", "replace")
            if token.startswith("<![CDATA["):
                values = [token[9:-3]]
            elif token.startswith("<!--"):
                values = [token[4:-3]]
            elif token.startswith("<"):
                values = [unescape(a.group(3)) for a in _ATTR.finditer(token)]
            else:
                values = [unescape(token)]
            cell = _cell_of(data, start, sheet_end)
            for value in values:
                for hit in patterns.find(value):
                    found.setdefault((cell, hit.kind, patterns.excerpt(hit)))
        for joined in _container_texts(data):
            for hit in patterns.find(joined):
                found.setdefault(("", hit.kind, patterns.excerpt(hit)))
        leaks += [Leak(name, where, c, k, e) for c, k, e in found]
    return leaks


def scan_bytes(data: bytes) -> list[Leak]:
    """:func:`scan` over every part of a package held in memory (one this tool just wrote)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return scan((i.filename, archive.read(i)) for i in archive.infolist() if not i.is_dir())
