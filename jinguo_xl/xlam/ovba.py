"""An MS-OVBA conformance check of the add-in's VBA project, independent of the writer.

The add-in cannot be opened in Excel here, so its ``vbaProject.bin`` is read back with
``olefile`` and this module's own reading of the specification ([MS-OVBA] rev. 9+): the
compression of §2.4.1, the ``dir`` stream of §2.3.4.2 record by record, the PROJECT stream
against the ABNF of §2.3.1, PROJECTwm (§2.3.3), ``_VBA_PROJECT`` (§2.3.4.1) and each module
stream's name. pyOpenVBA, which writes the project, is deliberately not used: a checker that
shares the writer's reading of the spec cannot catch the writer's mistakes (it did not catch the
4 zero bytes it writes after the ``dir`` terminator). Every problem is a Chinese sentence naming
the stream and the spec section; the build stops on any.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass, field

VBA_PART = "xl/vbaProject.bin"
# A project name the clerk sees in the VBA editor and in Trust Center dialogs: ours, ASCII.
PROJECT_NAME_RULE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")


class OvbaFormatError(ValueError):
    """A structure that does not follow MS-OVBA; the message is Chinese and names the place."""


# --------------------------------------------------------------------------- §2.4.1 compression


def decompress(data: bytes, stream: str = "") -> bytes:
    """A CompressedContainer decompressed as §2.4.1.3 describes it, checking every header."""
    if not data or data[0] != 0x01:
        raise OvbaFormatError(f"{stream} 流的压缩容器签名不是 0x01（MS-OVBA 2.4.1.1.1）")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise OvbaFormatError(f"{stream} 流在压缩块头中途结束（MS-OVBA 2.4.1.1.4）")
        (header,) = struct.unpack_from("<H", data, pos)
        size = (header & 0x0FFF) + 3  # header included
        if (header >> 12) & 0x7 != 0b011:
            raise OvbaFormatError(
                f"{stream} 流偏移 {pos} 的压缩块签名不是 0b011（MS-OVBA 2.4.1.1.5）"
            )
        end = min(pos + size, len(data))
        chunk_start = len(out)
        pos += 2
        if not header & 0x8000:  # a raw chunk holds exactly 4096 bytes
            if end - pos != 4096:
                raise OvbaFormatError(f"{stream} 流的未压缩块不是 4096 字节（MS-OVBA 2.4.1.1.4）")
            out += data[pos:end]
            pos = end
            continue
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not (flags >> bit) & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                if pos + 2 > end:
                    raise OvbaFormatError(f"{stream} 流的复制标记不完整（MS-OVBA 2.4.1.1.8）")
                (token,) = struct.unpack_from("<H", data, pos)
                pos += 2
                difference = len(out) - chunk_start
                bit_count = max((difference - 1).bit_length(), 4)
                length_mask = 0xFFFF >> bit_count
                length = (token & length_mask) + 3
                offset = (token >> (16 - bit_count)) + 1
                if offset > difference:
                    raise OvbaFormatError(
                        f"{stream} 流的复制标记指向当前块之前（MS-OVBA 2.4.1.3.19.2）"
                    )
                for _ in range(length):  # byte by byte: source and target may overlap
                    out.append(out[-offset])
        if len(out) - chunk_start > 4096:
            raise OvbaFormatError(f"{stream} 流的一个块解压后超过 4096 字节（MS-OVBA 2.4.1.1.3）")
    return bytes(out)


# --------------------------------------------------------------------------- §2.3.4.2 dir stream


@dataclass
class Module:
    """One MODULE record (§2.3.4.2.3.2), with names as stored."""

    name: str
    name_unicode: str | None
    stream_name: str
    stream_name_unicode: str
    offset: int
    procedural: bool


@dataclass
class DirStream:
    """What the ``dir`` stream says, and where its records and its end are."""

    code_page: int = 1252
    project_name: str = ""
    name_span: tuple[int, int] = (0, 0)
    references: list[str] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    end: int = 0
    trailing: bytes = b""


class _Reader:
    """Little-endian fields read in order, each failure naming the record being read."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.pos = 0

    def take(self, n: int, what: str) -> bytes:
        if self.pos + n > len(self.raw):
            raise OvbaFormatError(f"dir 流在 {what} 中途结束（偏移 {self.pos}）")
        chunk = self.raw[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def u16(self, what: str) -> int:
        return struct.unpack("<H", self.take(2, what))[0]

    def u32(self, what: str) -> int:
        return struct.unpack("<I", self.take(4, what))[0]

    def peek(self) -> int | None:
        if self.pos + 2 > len(self.raw):
            return None
        return struct.unpack_from("<H", self.raw, self.pos)[0]

    def expect(self, record_id: int, what: str) -> None:
        found = self.u16(what)
        if found != record_id:
            raise OvbaFormatError(
                f"dir 流偏移 {self.pos - 2}：应为 {what} 记录 0x{record_id:04X}，"
                f"实为 0x{found:04X}（MS-OVBA 2.3.4.2）"
            )

    def fixed(self, record_id: int, size: int, what: str) -> bytes:
        """Id, a Size that MUST equal ``size``, and the data."""
        self.expect(record_id, what)
        found = self.u32(what)
        if found != size:
            raise OvbaFormatError(f"dir 流 {what} 记录的长度为 {found}，规范要求 {size}")
        return self.take(size, what)

    def sized(self, record_id: int, what: str) -> bytes:
        self.expect(record_id, what)
        return self.take(self.u32(what), what)

    def reserved(self, value: int, width: int, what: str) -> None:
        found = self.u16(what) if width == 2 else self.u32(what)
        if found != value:
            raise OvbaFormatError(
                f"dir 流 {what} 的保留字段为 0x{found:X}，规范要求 0x{value:X}（MS-OVBA 2.3.4.2）"
            )

    def paired(self, record_id: int, unicode_id: int, what: str) -> tuple[bytes, bytes]:
        """An MBCS field followed by its Reserved id and the UTF-16 twin (DocString and kin)."""
        text = self.sized(record_id, what)
        self.reserved(unicode_id, 2, what)
        return text, self.take(self.u32(what), what)


def parse_dir(raw: bytes) -> DirStream:
    """The decompressed ``dir`` stream read record by record (§2.3.4.2), strictly in order.

    A wrong id, size or reserved value raises; bytes after the terminator are kept in
    ``trailing`` for :func:`problems` to report, so a fixer can also use this parse.
    """
    r = _Reader(raw)
    info = DirStream()
    syskind = struct.unpack("<I", r.fixed(0x0001, 4, "PROJECTSYSKIND"))[0]
    if syskind > 3:
        raise OvbaFormatError(f"dir 流 PROJECTSYSKIND 的值 {syskind} 不在 0–3 之内")
    if r.peek() == 0x004A:
        r.fixed(0x004A, 4, "PROJECTCOMPATVERSION")
    for record_id, what in ((0x0002, "PROJECTLCID"), (0x0014, "PROJECTLCIDINVOKE")):
        lcid = struct.unpack("<I", r.fixed(record_id, 4, what))[0]
        if lcid != 0x409:
            raise OvbaFormatError(f"dir 流 {what} 为 0x{lcid:X}，规范要求 0x409")
    info.code_page = struct.unpack("<H", r.fixed(0x0003, 2, "PROJECTCODEPAGE"))[0]
    encoding = f"cp{info.code_page}"
    start = r.pos
    name = r.sized(0x0004, "PROJECTNAME")
    info.name_span = (start, r.pos)
    if not 1 <= len(name) <= 128:
        raise OvbaFormatError(f"dir 流 PROJECTNAME 长 {len(name)} 字节，规范要求 1–128")
    info.project_name = name.decode(encoding, errors="replace")
    r.paired(0x0005, 0x0040, "PROJECTDOCSTRING")
    help1, help2 = r.paired(0x0006, 0x003D, "PROJECTHELPFILEPATH")
    if help1 != help2:
        raise OvbaFormatError("dir 流 PROJECTHELPFILEPATH 的两个路径不同（MS-OVBA 2.3.4.2.1.8）")
    r.fixed(0x0007, 4, "PROJECTHELPCONTEXT")
    if r.fixed(0x0008, 4, "PROJECTLIBFLAGS") != b"\0\0\0\0":
        raise OvbaFormatError("dir 流 PROJECTLIBFLAGS 不为 0")
    r.expect(0x0009, "PROJECTVERSION")
    r.reserved(4, 4, "PROJECTVERSION")
    r.take(6, "PROJECTVERSION")
    r.paired(0x000C, 0x003C, "PROJECTCONSTANTS")
    while r.peek() in (0x0016, 0x002F, 0x0033, 0x000D, 0x000E):
        info.references.append(_reference(r, encoding))
    count = struct.unpack("<H", r.fixed(0x000F, 2, "PROJECTMODULES"))[0]
    r.fixed(0x0013, 2, "PROJECTCOOKIE")
    for _ in range(count):
        info.modules.append(_module(r, encoding))
    r.expect(0x0010, "dir 终止")
    r.reserved(0, 4, "dir 终止")
    info.end = r.pos
    info.trailing = raw[r.pos :]
    return info


def _reference(r: _Reader, encoding: str) -> str:
    """One REFERENCE (§2.3.4.2.2.1): an optional name, then one of four reference records."""
    name = ""
    if r.peek() == 0x0016:
        name = r.paired(0x0016, 0x003E, "REFERENCENAME")[0].decode(encoding, errors="replace")
    kind = r.peek()
    if kind == 0x0033:
        r.sized(0x0033, "REFERENCEORIGINAL")
        kind = r.peek()
        if kind != 0x002F:
            raise OvbaFormatError("dir 流 REFERENCEORIGINAL 之后不是 REFERENCECONTROL")
    if kind == 0x002F:
        r.expect(0x002F, "REFERENCECONTROL")
        r.u32("REFERENCECONTROL")  # SizeTwiddled: MUST be ignored on read
        r.take(r.u32("REFERENCECONTROL"), "REFERENCECONTROL")
        r.reserved(0, 4, "REFERENCECONTROL")
        r.reserved(0, 2, "REFERENCECONTROL")
        if r.peek() == 0x0016:
            r.paired(0x0016, 0x003E, "REFERENCECONTROL 的名称")
        r.reserved(0x0030, 2, "REFERENCECONTROL")
        r.u32("REFERENCECONTROL")  # SizeExtended: MUST be ignored on read
        r.take(r.u32("REFERENCECONTROL"), "REFERENCECONTROL")
        r.reserved(0, 4, "REFERENCECONTROL")
        r.reserved(0, 2, "REFERENCECONTROL")
        r.take(16 + 4, "REFERENCECONTROL")  # OriginalTypeLib, Cookie
    elif kind == 0x000D:
        r.expect(0x000D, "REFERENCEREGISTERED")
        size = r.u32("REFERENCEREGISTERED")
        libid = r.take(r.u32("REFERENCEREGISTERED"), "REFERENCEREGISTERED")
        if size != len(libid) + 10:
            raise OvbaFormatError(f"dir 流引用 {name} 的 REFERENCEREGISTERED 长度不符")
        r.reserved(0, 4, "REFERENCEREGISTERED")
        r.reserved(0, 2, "REFERENCEREGISTERED")
    elif kind == 0x000E:
        r.expect(0x000E, "REFERENCEPROJECT")
        size = r.u32("REFERENCEPROJECT")
        absolute = r.take(r.u32("REFERENCEPROJECT"), "REFERENCEPROJECT")
        relative = r.take(r.u32("REFERENCEPROJECT"), "REFERENCEPROJECT")
        r.take(6, "REFERENCEPROJECT")
        if size != len(absolute) + len(relative) + 14:
            raise OvbaFormatError(f"dir 流引用 {name} 的 REFERENCEPROJECT 长度不符")
    else:
        raise OvbaFormatError(f"dir 流引用 {name} 缺少引用记录（MS-OVBA 2.3.4.2.2.1）")
    return name


def _module(r: _Reader, encoding: str) -> Module:
    """One MODULE record (§2.3.4.2.3.2), every field in the spec's order."""
    name = r.sized(0x0019, "MODULENAME").decode(encoding, errors="replace")
    name_unicode = None
    if r.peek() == 0x0047:
        name_unicode = r.sized(0x0047, "MODULENAMEUNICODE").decode("utf-16-le", errors="replace")
    stream, stream_unicode = r.paired(0x001A, 0x0032, f"模块 {name} 的 MODULESTREAMNAME")
    r.paired(0x001C, 0x0048, f"模块 {name} 的 MODULEDOCSTRING")
    offset = struct.unpack("<I", r.fixed(0x0031, 4, f"模块 {name} 的 MODULEOFFSET"))[0]
    r.fixed(0x001E, 4, f"模块 {name} 的 MODULEHELPCONTEXT")
    r.fixed(0x002C, 2, f"模块 {name} 的 MODULECOOKIE")
    kind = r.u16(f"模块 {name} 的 MODULETYPE")
    if kind not in (0x0021, 0x0022):
        raise OvbaFormatError(
            f"dir 流模块 {name} 的 MODULETYPE 为 0x{kind:04X}，应为 0x0021 或 0x0022"
        )
    r.reserved(0, 4, f"模块 {name} 的 MODULETYPE")
    for optional, what in ((0x0025, "MODULEREADONLY"), (0x0028, "MODULEPRIVATE")):
        if r.peek() == optional:
            r.u16(what)
            r.reserved(0, 4, f"模块 {name} 的 {what}")
    r.expect(0x002B, f"模块 {name} 的终止")
    r.reserved(0, 4, f"模块 {name} 的终止")
    return Module(
        name=name,
        name_unicode=name_unicode,
        stream_name=stream.decode(encoding, errors="replace"),
        stream_name_unicode=stream_unicode.decode("utf-16-le", errors="replace"),
        offset=offset,
        procedural=kind == 0x0021,
    )


# --------------------------------------------------------------------------- §2.3.1 PROJECT

_GUID = r"\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}"
_HEXINT32 = r"&H[0-9A-Fa-f]{8}"
_MODULE_ID = r"[^\s=/\"]{1,31}"
_INT32 = r"-?[0-9]{1,10}"
_WINDOW = rf"{_INT32}, {_INT32}, {_INT32}, {_INT32}, C?Z?I?"
_ITEM = re.compile(
    rf"^(?:Document=(?P<doc>{_MODULE_ID})/{_HEXINT32}|Module=(?P<std>{_MODULE_ID})"
    rf"|Class=(?P<cls>{_MODULE_ID})|BaseClass=(?P<des>{_MODULE_ID})|Package={_GUID})$"
)
# ProjectProperties after the items (§2.3.1.1), in the grammar's order; (pattern, required).
_PROPERTIES = [
    (r'HelpFile="[^"]*"', False),
    (r'ExeName32="[^"]*"', False),
    (r'Name="(?P<name>[^"]{1,128})"', True),
    (rf'HelpContextID="{_INT32}"', True),
    (r'Description="[^"]{0,2000}"', False),
    (r'VersionCompatible32="393222000"', False),
    (r'CMG="[0-9A-Fa-f]{22,28}"', True),
    (r'DPB="[0-9A-Fa-f]{16,2000}"', True),
    (r'GC="[0-9A-Fa-f]{16,2000}"', True),
]
_HOST_EXTENDER = re.compile(rf"^{_HEXINT32}={_GUID};[\x21-\x3a\x3c-\xff]+;{_HEXINT32}$")
_WORKSPACE = re.compile(rf"^(?P<module>{_MODULE_ID})={_WINDOW}(?:, {_WINDOW})?$")


@dataclass
class ProjectText:
    """What the PROJECT stream declares: name, modules by kind, workspace keys."""

    name: str = ""
    modules: dict[str, str] = field(default_factory=dict)
    workspace: list[str] = field(default_factory=list)


def parse_project(text: str) -> tuple[ProjectText, list[str]]:
    """The PROJECT stream read line by line against the ABNF of §2.3.1; (what it says, problems).

    Lines end in CRLF; one blank line separates the properties from ``[Host Extender Info]``
    and that from ``[Workspace]``; no other blank line is allowed anywhere.
    """
    found = ProjectText()
    problems: list[str] = []
    if "\n" in text.replace("\r\n", ""):
        problems.append("PROJECT 流有不是 CRLF 的换行（MS-OVBA 2.3.1 NWLN）")
    lines = text.split("\r\n")
    if lines and lines[-1] == "":
        lines.pop()
    where = iter(enumerate(lines, start=1))

    def bad(number: int, line: str, why: str) -> None:
        problems.append(f"PROJECT 流第 {number} 行“{line}”{why}（MS-OVBA 2.3.1）")

    number, line = next(where, (1, ""))
    if not re.fullmatch(rf'ID="{_GUID}"', line):
        bad(number, line, "应为 ID=\"{GUID}\"")
    number, line = next(where, (0, ""))
    while (match := _ITEM.match(line)) is not None:
        for kind in ("doc", "std", "cls", "des"):
            if match.group(kind):
                if match.group(kind) in found.modules:
                    bad(number, line, "重复声明了模块")
                found.modules[match.group(kind)] = kind
        number, line = next(where, (0, ""))
    for pattern, required in _PROPERTIES:
        match = re.fullmatch(pattern, line)
        if match is None:
            if required:
                bad(number, line, f"不符合语法，此处应为 {pattern.split('=')[0]}=")
                return found, problems
            continue
        if "name" in match.groupdict():
            found.name = match.group("name")
        number, line = next(where, (0, ""))
    sections = [("", "[Host Extender Info]"), ("", "[Workspace]")]
    for step, (blank, header) in enumerate(sections):
        if step == 1 and number == 0:
            break  # the workspace section is optional
        if line != blank:
            bad(number, line, "应为空行（节之间只能有一个空行）")
            return found, problems
        number, line = next(where, (0, ""))
        if line != header:
            bad(number, line, f"应为 {header}")
            return found, problems
        number, line = next(where, (0, ""))
        while number and line:
            if step == 0 and not _HOST_EXTENDER.match(line):
                bad(number, line, "不是合法的宿主扩展行")
            if step == 1:
                match = _WORKSPACE.match(line)
                if match is None:
                    bad(number, line, "不是合法的 [Workspace] 窗口行")
                else:
                    found.workspace.append(match.group("module"))
            number, line = next(where, (0, ""))
        if step == 1 and number:
            bad(number, line, "[Workspace] 中不能有空行")
            number, line = next(where, (0, ""))
            while number:
                if line:
                    bad(number, line, "出现在 [Workspace] 的空行之后")
                number, line = next(where, (0, ""))
    return found, problems


# --------------------------------------------------------------------------- the whole project


def _names_in_projectwm(data: bytes, encoding: str) -> tuple[list[tuple[str, str]], bool]:
    """PROJECTwm's NAMEMAP records (§2.3.3) and whether the stream ends right after its
    terminator."""
    pairs = []
    pos = 0
    while pos + 2 <= len(data) and data[pos : pos + 2] != b"\0\0":
        end = data.find(b"\0", pos)
        if end < 0:
            return pairs, False
        mbcs = data[pos:end].decode(encoding, errors="replace")
        pos = uend = end + 1
        while uend + 2 <= len(data) and data[uend : uend + 2] != b"\0\0":
            uend += 2
        if uend + 2 > len(data):
            return pairs, False
        pairs.append((mbcs, data[pos:uend].decode("utf-16-le", errors="replace")))
        pos = uend + 2
    return pairs, pos + 2 == len(data)


def problems(vba_bin: bytes, project_name: str) -> list[str]:
    """Every MS-OVBA deviation found in a ``vbaProject.bin``, in Chinese; empty when none."""
    import olefile

    found: list[str] = []
    try:
        ole = olefile.OleFileIO(io.BytesIO(vba_bin))
    except OSError as exc:
        return [f"vbaProject.bin 不是复合文档（{exc}）"]
    with ole:
        streams = {"/".join(p).casefold(): "/".join(p) for p in ole.listdir()}

        def read(path: str) -> bytes | None:
            real = streams.get(path.casefold())
            return ole.openstream(real).read() if real else None

        header = read("VBA/_VBA_PROJECT")
        if header is None or len(header) < 7 or header[:2] != b"\xcc\x61":
            found.append("_VBA_PROJECT 流缺失或签名不是 0x61CC（MS-OVBA 2.3.4.1）")
        elif header[2:4] != b"\xff\xff" or len(header) != 7:
            found.append("_VBA_PROJECT 流带有编译缓存，写入时版本须为 0xFFFF 且不含缓存")
        raw_dir = read("VBA/dir")
        if raw_dir is None:
            return [*found, "缺少 VBA/dir 流（MS-OVBA 2.2.4）"]
        try:
            info = parse_dir(decompress(raw_dir, "dir"))
        except OvbaFormatError as exc:
            return [*found, str(exc)]
        if info.trailing:
            found.append(
                f"dir 流在终止记录（0x0010 + 保留字 0）之后还有 {len(info.trailing)} 个字节"
                "（MS-OVBA 2.3.4.2 规定其后不再有内容）"
            )
        encoding = f"cp{info.code_page}"
        if info.project_name != project_name or not PROJECT_NAME_RULE.match(info.project_name):
            found.append(
                f"VBA 工程名为“{info.project_name}”，应为 {project_name}"
                "（英文字母开头，只含英文字母、数字和下划线）"
            )
        project = read("PROJECT")
        if project is None:
            return [*found, "缺少 PROJECT 流（MS-OVBA 2.2.7）"]
        text, text_problems = parse_project(project.decode(encoding, errors="replace"))
        found += text_problems
        if text.name and text.name != info.project_name:
            found.append(f"PROJECT 流的 Name=“{text.name}”与 dir 流的工程名不同")
        found += _module_problems(info, text, read, encoding)
    return found


def _module_problems(info: DirStream, text: ProjectText, read, encoding: str) -> list[str]:
    """Names agree across dir, PROJECT, PROJECTwm and the module streams themselves."""
    found = []
    declared = dict(text.modules)
    for module in info.modules:
        if module.name_unicode is not None and module.name_unicode != module.name:
            found.append(f"模块 {module.name} 的 Unicode 名称“{module.name_unicode}”与名称不同")
        if module.stream_name_unicode != module.stream_name:
            found.append(f"模块 {module.name} 的流名两种写法不同")
        kind = declared.pop(module.name, None)
        if kind is None:
            found.append(f"模块 {module.name} 在 PROJECT 流中没有声明（MS-OVBA 2.3.4.2.3.2）")
        elif (kind == "std") != module.procedural:
            found.append(f"模块 {module.name} 在 PROJECT 流与 dir 流中的类型不同")
        stream = read(f"VBA/{module.stream_name}")
        if stream is None:
            found.append(f"模块 {module.name} 的流 VBA/{module.stream_name} 不存在")
            continue
        if module.offset > len(stream):
            found.append(f"模块 {module.name} 的源代码偏移超出流的长度")
            continue
        try:
            source = decompress(stream[module.offset :], module.stream_name)
        except OvbaFormatError as exc:
            found.append(str(exc))
            continue
        first = source.split(b"\n", 1)[0].decode(encoding, errors="replace")
        if first != f'Attribute VB_Name = "{module.name}"\r':
            found.append(
                f"模块流 {module.stream_name} 的第一行“{first.rstrip()[:60]}”"
                "不是以 CRLF 结尾的 Attribute VB_Name 行，或与模块名不符"
            )
    for name in declared:
        found.append(f"PROJECT 流声明的模块 {name} 在 dir 流中不存在")
    names = {m.name for m in info.modules}
    for key in text.workspace:
        if key not in names:
            found.append(f"PROJECT 流 [Workspace] 中的 {key} 不是本工程的模块")
    wm = read("PROJECTwm")
    if wm is not None:
        pairs, ends = _names_in_projectwm(wm, encoding)
        if [p[0] for p in pairs] != [m.name for m in info.modules] or any(a != b for a, b in pairs):
            found.append("PROJECTwm 流的模块名与 dir 流的模块顺序或名称不同（MS-OVBA 2.3.3）")
        if not ends:
            found.append("PROJECTwm 流在终止符之后还有内容（MS-OVBA 2.3.3）")
    return found


def xlam_problems(package: bytes, project_name: str) -> list[str]:
    """:func:`problems` for the VBA project inside an ``.xlam`` package."""
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        if VBA_PART not in z.namelist():
            return [f"加载项中没有 {VBA_PART}"]
        return problems(z.read(VBA_PART), project_name)
