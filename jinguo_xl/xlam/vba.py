"""VBA source rules the add-in build enforces, because Excel and pyOpenVBA fail silently.

pyOpenVBA stores module text in the project's code page (1252 for xlwings' template) and turns
every Chinese character into ``?`` without a word; Excel refuses a module with a bare LF only
when it compiles on a user's PC; a UDF called ``AB12`` or with a parameter called ``date`` is
accepted by every tool here and breaks in Excel. So the build checks the text itself and stops
with a Chinese message rather than ship such a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from jinguo_xl.errors import JinguoError

# VBA keywords and reserved identifiers (VBA language reference, "reserved words"): a UDF or a
# parameter with one of these names is emitted verbatim by xlwings' generator and cannot compile.
_RESERVED_WORDS = """
    AddressOf And Any As Boolean ByRef Byte ByVal Call Case CBool CByte CCur CDate CDbl CDec
    CInt CLng CLngLng CLngPtr Close Const CSng CStr Currency CVar CVErr Date Debug Decimal
    Declare DefBool DefByte DefCur DefDate DefDbl DefDec DefInt DefLng DefLngLng DefLngPtr
    DefObj DefSng DefStr DefVar Dim Do Double Each Else ElseIf Empty End EndIf Enum Eqv Erase
    Error Event Exit False For Friend Function Get Global GoSub GoTo If Imp Implements In Input
    Integer Is LBound Len Let Like Line Lock Long LongLong LongPtr Loop LSet Me Mid Mod New Next
    Not Nothing Null Object On Open Option Optional Or ParamArray Preserve Print Private Property
    Public Put RaiseEvent ReDim Rem Resume Return RSet Seek Select Set Single Static Step Stop
    String Sub Then To True Type TypeOf UBound Until Variant Wend While With WithEvents Write Xor
"""
RESERVED = frozenset(w.casefold() for w in _RESERVED_WORDS.split())

IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")
# Names Excel reads as a cell: A1 style up to column XFD, or R1C1 style.
CELL_LIKE = re.compile(r"^(?:[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*)$")
# Procedures Office runs by itself when a file opens or closes: mraptor's AutoExec patterns.
AUTO_EXEC = re.compile(
    r"^\s*(?:Public\s+|Private\s+)?Sub\s+"
    r"(Auto_?Open|Auto_?Close|Auto_?Exec|Auto_?Exit|Auto_?New|Workbook_Open|Workbook_Activate"
    r"|Workbook_BeforeClose|Workbook_WindowActivate|Document_Open|Document_Close|Document_New)\b",
    re.IGNORECASE | re.MULTILINE,
)


class VBAError(JinguoError):
    """The add-in's VBA would not work in Excel; the build stops instead of writing it."""


def to_crlf(text: str) -> str:
    """VBA stores lines ending in CRLF; a bare LF survives pyOpenVBA and breaks the VBE."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def utf16_hex(text: str) -> str:
    """Four hex digits per UTF-16 code unit, the unit a VBA ``String`` is made of.

    A character outside the Basic Multilingual Plane (a rare 汉字 of CJK Extension B such as
    𠀀, an emoji) is two units, its surrogate pair, and comes back whole when VBA joins the two
    ``ChrW`` results; writing its code point instead would give five digits and garble every
    character after it. Text that is not valid Unicode (a lone surrogate) stops the build.
    """
    try:
        return text.encode("utf-16-be").hex().upper()
    except UnicodeEncodeError as exc:
        bad = f"U+{ord(text[exc.start]):04X}"
        raise VBAError(
            f"加载项中的中文文本含无法编码的字符 {bad}（第 {exc.start + 1} 个字符）：请改正该文字"
        ) from None


def utf16_prefix(text: str, units: int) -> str:
    """The longest start of ``text`` within ``units`` UTF-16 units, never half a pair: Excel
    counts the 255-character limits of ``MacroOptions`` in such units."""
    out, used = [], 0
    for ch in text:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            break
        out.append(ch)
    return "".join(out)


def vba_hex_call(text: str, function: str = "U") -> str:
    """``U("8BF75148…")``: long Chinese text as one short call instead of a ``ChrW`` chain,
    which VBA rejects as "too complex" past a few dozen pieces. The module defines ``U``."""
    return f'{function}("{utf16_hex(text)}")'


HEX_DECODER = """Private Function U(ByVal codes As String) As String
    Dim i As Long
    For i = 1 To Len(codes) Step 4
        U = U & ChrW(CLng("&H" & Mid$(codes, i, 4)))
    Next i
End Function
"""

MAX_LINE = 1023  # VBA's limit on one physical line


_TEXT_MACRO = re.compile(r'T\("((?:[^"]|"")*)"\)')


def expand_text(source: str) -> str:
    """Replace each ``T("中文")`` in a module's source with an ASCII ``U("…")`` call and give the
    module its private decoder; the source files under ``addin/`` stay readable."""
    expanded, count = _TEXT_MACRO.subn(
        lambda m: vba_hex_call(m.group(1).replace('""', '"')), source
    )
    if count:
        expanded = expanded.rstrip("\r\n") + "\n\n" + HEX_DECODER
    return expanded


def module_problems(name: str, source: str) -> list[str]:
    """What is wrong with one module's text, in Chinese; empty when it can go in the add-in."""
    problems = []
    if not IDENTIFIER.match(name):
        problems.append(
            f"模块名“{name}”不合法：只能用英文字母、数字和下划线，字母开头，最长 31 个字符"
        )
    for number, line in enumerate(source.split("\r\n"), start=1):
        if len(line) > MAX_LINE:
            problems.append(f"模块 {name} 第 {number} 行超过 VBA 允许的 {MAX_LINE} 个字符")
        bad = next((ch for ch in line if ord(ch) > 126 or (ord(ch) < 32 and ch != "\t")), None)
        if "\n" in line or "\r" in line:
            problems.append(f"模块 {name} 第 {number} 行以单独的换行符结尾，VBA 要求 CRLF")
        elif bad is not None:
            problems.append(
                f"模块 {name} 第 {number} 行含非 ASCII 字符“{bad}”，写入加载项后会变成问号；"
                "中文请写成 T(\"…\")，由构建转换为 ChrW"
            )
    header = re.match(r'Attribute VB_Name = "([^"]*)"', source)
    if header is None or header.group(1) != name:
        problems.append(f"模块 {name} 的第一行必须是 Attribute VB_Name = \"{name}\"")
    auto = AUTO_EXEC.search(source)
    if auto:
        problems.append(
            f"模块 {name} 含自动运行的过程 {auto.group(1)}："
            "安全软件会把加载项判为可疑，请改由按钮触发"
        )
    return problems


def udf_problems(functions: Mapping[str, Iterable[str]], module_names: Iterable[str]) -> list[str]:
    """Names Excel or VBA would reject: reserved words, cell-like names, clashes with modules."""
    problems = []
    modules = {m.casefold() for m in module_names}
    seen: set[str] = set()
    for name, params in functions.items():
        key = name.casefold()
        if key in seen:
            problems.append(f"函数 {name} 重复定义，Excel 会报“发现二义性的名称”")
        seen.add(key)
        if not IDENTIFIER.match(name):
            problems.append(f"函数名“{name}”不合法")
        if key in RESERVED:
            problems.append(f"函数名 {name} 是 VBA 保留字")
        if CELL_LIKE.match(name):
            problems.append(f"函数名 {name} 会被 Excel 当成单元格地址")
        if key in modules:
            problems.append(f"函数名 {name} 与模块同名，调用会出错")
        for param in params:
            if param.casefold() in RESERVED:
                problems.append(f"函数 {name} 的参数 {param} 是 VBA 保留字，请改名")
            elif not IDENTIFIER.match(param):
                problems.append(f"函数 {name} 的参数名“{param}”不合法")
    return problems


def public_procedures(source: str) -> list[tuple[str, int]]:
    """(name, number of parameters) of each public Sub or Function (``Private`` ones excluded)."""
    found = []
    pattern = re.compile(
        r"^\s*(?:Public\s+)?(?:Sub|Function)\s+([A-Za-z_]\w*)\s*\(([^)]*)\)", re.MULTILINE
    )
    for match in pattern.finditer(source):
        params = [p for p in match.group(2).split(",") if p.strip()]
        found.append((match.group(1), len(params)))
    return found


def raise_if(problems: list[str]) -> None:
    """Stop the build with every problem listed, not only the first."""
    if problems:
        raise VBAError("加载项构建失败：\n" + "\n".join(f"- {p}" for p in problems))
