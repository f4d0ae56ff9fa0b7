""".xlsx packages opened by what is really inside them, not by what their headers claim.

A zip entry's local and central headers each state a size; a hostile file can under-state
both, and a reader that trusts them unpacks gigabytes from a few megabytes. So every entry is
inflated here with a running count of the bytes that actually come out, and reading stops at
the limit for one part and at a budget for the whole package, whatever the headers say.

The same pass looks at every part that is XML, however it is named (``.XML``, ``.rels``, no
extension) and however it is encoded (UTF-8, UTF-16/32 with or without a byte-order mark): a
markup declaration (``<!DOCTYPE``, ``<!ENTITY`` …) anywhere in it, even after a long comment,
refuses the file, because Excel never writes one and entity expansion is how XML bombs work.
Comments and CDATA sections are the only ``<!`` constructs a spreadsheet part may hold.

The parts the sheet scans need (the workbook, its relationships and every sheet) are kept,
converted to UTF-8, so the package is inflated once for the guards and the scans together.
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from defusedxml import ElementTree

from jinguo_xl.errors import PASSWORD_PROTECTED, UnreadableWorkbook

# No part of a real 统计表 comes near these; a municipal master with ten thousand rows is a few
# MB of XML. The budget is what the file may unpack to in total, across all of its parts.
MAX_PART_BYTES = 192 * 1024 * 1024
MAX_PACKAGE_BYTES = 256 * 1024 * 1024
MAX_FILE_BYTES = 128 * 1024 * 1024
MAX_ENTRIES = 10_000
# Beyond this size a part may not unpack to more than MAX_RATIO times its compressed bytes:
# real sheet XML compresses ten- to twentyfold, a bomb a thousandfold.
RATIO_FROM = 50 * 1024 * 1024
MAX_RATIO = 200
_CHUNK = 256 * 1024
_PIECE = 16 * 1024

STRICT_MAIN = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
TRANSITIONAL_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_REL = b"http://purl.oclc.org/ooxml/officeDocument/relationships"
TRANSITIONAL_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_MAGIC = b"PK\x03\x04"
# Byte-order marks and the first bytes of ``<?`` or ``<x`` in each encoding, most specific
# first: UTF-32 marks begin like UTF-16 ones.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UNMARKED = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# Encodings in which ``<!`` is the two ASCII bytes, so the byte scan sees every declaration.
_ASCII_SAFE = re.compile(
    r"^(?:utf-?8|us-?ascii|ascii|iso-?8859-\d+|latin-?1|windows-125\d|cp125\d|gb2312|gbk|"
    r"gb18030|big5|shift_jis|euc-(?:jp|kr))$",
    re.IGNORECASE,
)

# The only ``<!`` constructs a spreadsheet part may hold, and where each one ends.
_ALLOWED = {"<!--": "-->", "<![CDATA[": "]]>"}

CORRUPT = "文件已损坏（压缩包不完整，可能没有下载或复制完），请重新保存后提交"


_MISSES = 16


def find_bytes(text: bytes, needle: bytes, start: int = 0, *, rare: int) -> int:
    """``text.find(needle, start)``, found through the needle's byte at index ``rare``.

    ``bytes.find`` stops at every ``<`` of the XML when a short needle starts with one, which
    costs more than inflating the part; a single byte that is rare in spreadsheet XML (``!``
    of ``<!``, ``f`` of ``<f``) is found by a fast byte search instead, and each hit checked.
    After a few false hits the plain search takes over, so a text full of that byte costs no
    more than before.
    """
    byte = needle[rare : rare + 1]
    at = text.find(byte, start + rare)
    misses = 0
    while at >= 0:
        begin = at - rare
        if text.startswith(needle, begin):
            return begin
        misses += 1
        if misses > _MISSES:
            return text.find(needle, begin + 1)
        at = text.find(byte, at + 1)
    return -1


def _bomb(part: str) -> UnreadableWorkbook:
    return UnreadableWorkbook(f"文件中的“{part}”解压后异常巨大，疑似恶意文件，已拒绝读取")


def _declaration(part: str) -> UnreadableWorkbook:
    return UnreadableWorkbook(
        f"文件中的“{part}”含有 DOCTYPE 或实体声明（Excel 从不写入），疑似恶意文件，已拒绝读取"
    )


@dataclass(slots=True)
class Package:
    """What the guards found: the parts the scans need (UTF-8, by exact part name)."""

    parts: dict[str, bytes] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)  # sheet name → part name
    strict: bool = False
    unpacked: int = 0  # real bytes inflated, all parts together

    def sheet_xml(self) -> dict[str, bytes]:
        return {name: self.parts[part] for name, part in self.sheets.items() if part in self.parts}


def xml_encoding(head: bytes) -> str | None:
    """The encoding of a part that starts like XML, or None when it does not look like XML."""
    if head[:1] != b"<" or head[1:2] == b"\x00":  # "<?xml", "<worksheet": no mark to look for
        for bom, name in _BOMS:
            if head.startswith(bom):
                return name
        for start, name in _UNMARKED:
            if head.startswith(start):
                return name
    if head.lstrip(b" \t\r\n")[:1] != b"<":
        return None
    declared = _DECLARED.match(head)
    if declared:
        return declared.group(1).decode("ascii").lower()
    return "utf-8"


class _Part:
    """One part's bytes as they come out of the inflater: counted, scanned, maybe kept."""

    def __init__(self, name: str, keep: bool, budget: int) -> None:
        self.name = name
        self.keep = keep
        self.budget = budget  # what the package may still unpack
        self.size = 0
        self.chunks: list[bytes] = []
        self.encoding: str | None = None  # "" once known not to be XML
        self.unit = 1  # bytes per code unit: a UTF-16 ``<!`` only counts on a unit boundary
        self.needle = b""
        self.head = b""  # the first bytes, until the encoding is known
        self.tail = b""  # the end of what was scanned, so a split ``<!`` is still seen
        self.scanned = 0  # offset in the part of the first byte of ``tail``
        self.skip = b""  # the end of the comment or CDATA section being read through
        self.codec = "latin-1"
        self.consumed = 0  # compressed bytes read so far

    def feed(self, data: bytes) -> None:
        if not data:
            return
        self.size += len(data)
        if self.size > MAX_PART_BYTES or self.size > self.budget:
            raise _bomb(self.name)
        if self.size > RATIO_FROM and self.size > MAX_RATIO * max(self.consumed, 1):
            raise _bomb(self.name)
        if self.keep:
            self.chunks.append(data)
        if self.encoding is None:
            self.head += data
            if len(self.head) < 512:
                return
            data, self.head = self.head, b""
            self._start(data)
        if self.needle:
            self._scan(data)

    def finish(self) -> None:
        """The part has ended: a part shorter than the sniffing window is judged now."""
        if self.encoding is None:
            data, self.head = self.head, b""
            self._start(data)
            if self.needle:
                self._scan(data)

    def _start(self, head: bytes) -> None:
        encoding = xml_encoding(head)
        self.encoding = encoding or ""
        if not encoding:
            return
        wide = encoding.startswith(("utf-16", "utf-32"))
        if not (_ASCII_SAFE.match(encoding) or wide):
            raise UnreadableWorkbook(
                f"文件中的“{self.name}”使用了 Excel 不会使用的字符编码（{encoding}），"
                "疑似恶意文件，已拒绝读取"
            )
        if wide and not encoding.endswith(("le", "be")):
            big = head[:2] in (b"\xfe\xff", b"\x00<") or head[:4] == b"\x00\x00\xfe\xff"
            encoding += "-be" if big else "-le"
            self.encoding = encoding
        self.unit = 4 if encoding.startswith("utf-32") else 2 if wide else 1
        self.codec = encoding if wide else "latin-1"
        self.needle = "<!".encode(self.codec)

    def _find(self, text: bytes, needle: bytes, start: int) -> int:
        """Where ``needle`` starts in ``text`` on a code-unit boundary of the part, or -1."""
        if self.unit == 1:
            return find_bytes(text, needle, start, rare=1)  # ``!`` of ``<!``, ``-`` of ``-->``…
        at = text.find(needle, start)
        while at >= 0 and (self.scanned + at) % self.unit:
            at = text.find(needle, at + 1)
        return at

    def _scan(self, data: bytes) -> None:
        """Look through comments and CDATA sections for any other ``<!`` (a declaration)."""
        text = self.tail + data
        unit = self.unit
        pos = 0
        while True:
            if self.skip:  # inside a comment or CDATA section: only its end matters
                end = self._find(text, self.skip, pos)
                if end < 0:
                    break
                pos, self.skip = end + len(self.skip), b""
                continue
            at = self._find(text, self.needle, pos)
            if at < 0:
                break
            window = text[at : at + unit * 9].decode(self.codec, "ignore")
            opener = next((o for o in _ALLOWED if window.startswith(o)), None)
            if opener:
                self.skip = _ALLOWED[opener].encode(self.codec)
                pos = at + unit * len(opener)
                continue
            if at + unit * 9 > len(text) and any(o.startswith(window) for o in _ALLOWED):
                pos = at  # cut at the end of this chunk: judged whole with the next one
                break
            raise _declaration(self.name)
        keep = max(pos, len(text) - unit * 12)
        self.tail = text[keep:]
        self.scanned += keep

    def text(self) -> bytes:
        raw = b"".join(self.chunks)
        if self.unit > 1 and self.encoding:
            try:
                return raw.decode(self.encoding).lstrip("\ufeff").encode("utf-8")
            except UnicodeDecodeError:
                raise UnreadableWorkbook(CORRUPT) from None
        return raw


def _inflate(data: memoryview, info: zipfile.ZipInfo, part: _Part) -> None:
    """Feed one entry's real bytes to ``part``: from its local header, until the stream ends."""
    offset = info.header_offset
    if offset + _LOCAL_HEADER.size > len(data):
        raise UnreadableWorkbook(CORRUPT)
    fields = _LOCAL_HEADER.unpack_from(data, offset)
    if fields[0] != _LOCAL_MAGIC:
        raise UnreadableWorkbook(CORRUPT)
    start = offset + _LOCAL_HEADER.size + fields[9] + fields[10]
    method = info.compress_type
    if method == zipfile.ZIP_STORED:
        stop = min(len(data), start + info.compress_size)
        for at in range(start, stop, _CHUNK):
            part.consumed = at + _CHUNK - start
            part.feed(bytes(data[at : min(stop, at + _CHUNK)]))
        return
    if method != zipfile.ZIP_DEFLATED:
        raise UnreadableWorkbook(
            f"文件中的“{info.filename}”使用了 Excel 不会使用的压缩方式，请用 Excel 打开后"
            "另存为 .xlsx 再提交"
        )
    inflater = zlib.decompressobj(-15)
    at = start
    pending = b""
    while not inflater.eof:
        if not pending:
            if at >= len(data):
                raise UnreadableWorkbook(CORRUPT)
            # Small input pieces keep the count of compressed bytes used close to the truth.
            pending = bytes(data[at : at + _PIECE])
            at += _PIECE
        out = inflater.decompress(pending, _CHUNK)
        pending = inflater.unconsumed_tail
        part.consumed = at - start
        part.feed(out)


def _find(names: dict[str, str], wanted: str) -> str | None:
    return names.get(wanted.lower())


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(workbook: bytes, rels: bytes, workbook_part: str) -> dict[str, str]:
    """Sheet name → part name, matching elements by local name (any namespace, Strict too)."""
    try:
        book = ElementTree.fromstring(workbook)
        links = ElementTree.fromstring(rels)
    except Exception:  # a malformed workbook part: the cell reader judges the file
        return {}
    targets = {
        r.get("Id"): r.get("Target", "") for r in links.iter() if _local(r.tag) == "Relationship"
    }
    base = posixpath.dirname(workbook_part)
    parts: dict[str, str] = {}
    for sheet in book.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid, "")
        if target:
            parts[sheet.get("name", "")] = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(base, target))
            )
    return parts


_SHEETS_SEEN: dict[tuple[bytes, bytes, str], dict[str, str]] = {}
_SHEETS_SEEN_MAX = 64


def _sheets_of(workbook: bytes, rels: bytes, workbook_part: str) -> dict[str, str]:
    """:func:`_sheet_parts`, remembered by content: the bases of one county are copies of one
    template and mostly carry the very same workbook part."""
    key = (workbook, rels, workbook_part)
    hit = _SHEETS_SEEN.get(key)
    if hit is None:
        hit = _sheet_parts(workbook, rels, workbook_part)
        if len(_SHEETS_SEEN) < _SHEETS_SEEN_MAX and len(workbook) + len(rels) < 65536:
            _SHEETS_SEEN[key] = hit
    return dict(hit)


def open_package(data: bytes) -> Package:
    """Inflate and guard every entry of an .xlsx package held in memory.

    Raises :class:`UnreadableWorkbook` with the Chinese reason for a bomb, a markup
    declaration, an unknown compression or a damaged archive; otherwise returns the parts the
    sheet scans need.
    """
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableWorkbook(
            f"文件有 {len(data) // (1024 * 1024)} MB，远大于任何统计表，请只提交统计表本身"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, OSError):
        raise UnreadableWorkbook(CORRUPT) from None
    entries = [i for i in archive.infolist() if not i.is_dir()]
    if len(entries) > MAX_ENTRIES:
        raise UnreadableWorkbook("压缩包中的部件数量异常，疑似恶意文件，已拒绝读取")
    names = {i.filename.lower(): i.filename for i in entries}
    workbook_part = _find(names, "xl/workbook.xml")
    if workbook_part is None and _other_spreadsheet(names, archive):
        # A binary .xlsb or an OpenDocument .ods: guarded entry by entry like any package;
        # their sheets are not XML the scans understand, and the cell reader reads them.
        manifest = _find(names, "meta-inf/manifest.xml")
        if manifest and b"encryption-data" in _small_entry(archive, manifest):
            raise UnreadableWorkbook(PASSWORD_PROTECTED)
        package = Package()
        package.unpacked = _guard_entries(memoryview(data), entries, set(), package.parts)
        return package
    if workbook_part is None:
        if _find(names, "word/document.xml"):
            raise UnreadableWorkbook("这是 Word 文档，不是 Excel 工作簿，请把表格放进 Excel 后提交")
        raise UnreadableWorkbook("压缩包中没有 Excel 工作簿内容，文件不是 .xlsx 或已损坏")
    view = memoryview(data)
    package = Package()
    by_name = {i.filename: i for i in entries}
    rels_part = _find(names, "xl/_rels/workbook.xml.rels")
    small = {}
    for name in (workbook_part, rels_part):
        if name:
            part = _Part(name, True, MAX_PACKAGE_BYTES)
            _guarded(view, by_name[name], part)
            small[name] = part.text()
    workbook = small[workbook_part]
    package.strict = STRICT_MAIN in workbook[:4096]
    package.sheets = _sheets_of(workbook, small.get(rels_part or "", b"<r/>"), workbook_part)
    wanted = {p.lower() for p in package.sheets.values()} | {workbook_part.lower()}
    if rels_part:
        wanted.add(rels_part.lower())
    package.unpacked = _guard_entries(view, entries, wanted, package.parts)
    lowered = {k.lower(): k for k in package.parts}
    package.sheets = {
        name: lowered[p.lower()] for name, p in package.sheets.items() if p.lower() in lowered
    }
    return package


def _guard_entries(
    view: memoryview, entries: list[zipfile.ZipInfo], wanted: set[str], kept: dict[str, bytes]
) -> int:
    """Inflate and guard every entry against one budget for the whole package; the entries
    named in ``wanted`` (lower case) are kept in ``kept`` as UTF-8. Returns the real bytes."""
    total = 0
    for info in entries:
        keep = info.filename.lower() in wanted
        part = _Part(info.filename, keep, MAX_PACKAGE_BYTES - total)
        _guarded(view, info, part)
        total += part.size
        if keep:
            kept[info.filename] = part.text()
    return total


_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def _small_entry(archive: zipfile.ZipFile, name: str, limit: int = 1 << 20) -> bytes:
    """An entry's first bytes (a manifest), inflated no further than ``limit``."""
    try:
        with archive.open(name) as fh:
            return fh.read(limit)
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, OSError, zlib.error):
        return b""


def _other_spreadsheet(names: dict[str, str], archive: zipfile.ZipFile) -> bool:
    """An Excel binary workbook (.xlsb) or an OpenDocument spreadsheet (.ods)."""
    if _find(names, "xl/workbook.bin"):
        return True
    mimetype = names.get("mimetype")
    return mimetype is not None and _small_entry(archive, mimetype, 200).strip().startswith(
        _ODS_MIME
    )


def _guarded(view: memoryview, info: zipfile.ZipInfo, part: _Part) -> None:
    try:
        _inflate(view, info, part)
        part.finish()
    except UnreadableWorkbook:
        raise
    except (zlib.error, struct.error, ValueError, IndexError):
        raise UnreadableWorkbook(CORRUPT) from None


def as_transitional(data: bytes) -> bytes:
    """A Strict package rewritten in memory with the transitional namespaces, for readers
    (openpyxl) that only know those; the input file is never touched."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename.lower().endswith((".xml", ".rels")):
                body = body.replace(STRICT_MAIN, TRANSITIONAL_MAIN).replace(
                    STRICT_REL, TRANSITIONAL_REL
                )
            zout.writestr(info.filename, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()
