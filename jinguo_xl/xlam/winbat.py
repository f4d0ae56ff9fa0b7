"""The double-clickable ``安装.bat`` / ``卸载.bat`` of the offline bundle, and the rules they obey.

cmd.exe reads a batch file line by line in the console's code page, so the files are written in
code page 936 (GBK) after an ASCII first part that switches to it (``chcp 936``): the clerk
reads Chinese messages on a Chinese or an English Windows alike. Commands themselves stay
ASCII; only ``echo`` and ``title`` lines carry Chinese, and no Chinese character used has a GBK
trail byte that cmd.exe treats specially (``^`` or ``|``). Lines end in CRLF. Every path is
quoted (folders with spaces), and the bundle's own folder (``%~dp0``, which ends in ``\\``) is
never followed directly by a closing quote, where ``\\"`` would escape it.
"""

from __future__ import annotations

import re

CODE_PAGE = "cp936"
ENV_DIR = r"%LOCALAPPDATA%\jinguo_xl\venv"
PACKAGE = "jinguo-xl"
# Trail bytes cmd.exe would read as an operator if it ever lost track of a double-byte pair.
RISKY_TRAIL_BYTES = {0x5E, 0x7C}


def _py_check(pythons: tuple[str, ...]) -> str:
    versions = ", ".join(f"({v.replace('.', ', ')})" for v in pythons)
    return (
        'python -c "import struct, sys; '
        f"sys.exit(0 if struct.calcsize('P') == 8 and sys.version_info[:2] in [{versions}] "
        'else 1)"'
    )


def install_bat(pythons: tuple[str, ...], addin_name: str) -> str:
    """``安装.bat``: a venv from the python.org Python, wheels from the bundle, the add-in."""
    # Newest first; stdin from nul so a launcher that offers to download a runtime cannot wait
    # for an answer nobody sees.
    preferred = " ".join(sorted(pythons, key=lambda v: tuple(map(int, v.split("."))), reverse=True))
    listed = "、".join(pythons)
    lines = [
        "@echo off",
        "chcp 936 >nul",
        "setlocal EnableExtensions",
        "title 巾帼统计加载项 安装",
        'set "HERE=%~dp0"',
        f'set "ENVDIR={ENV_DIR}"',
        'set "PY="',
        "echo 正在查找 Python（64 位）……",
        f"for %%V in ({preferred}) do (",
        '    if not defined PY (py -%%V-64 -c "import sys" <nul >nul 2>&1 && set "PY=py -%%V-64")',
        ")",
        "if defined PY goto havepy",
        _py_check(pythons) + " <nul >nul 2>&1",
        "if errorlevel 1 goto nopython",
        'set "PY=python"',
        ":havepy",
        "echo 使用 %PY%",
        'if not exist "%ENVDIR%\\Scripts\\python.exe" goto makeenv',
        '"%ENVDIR%\\Scripts\\python.exe" -c "import sys" >nul 2>&1',
        "if not errorlevel 1 goto haveenv",
        "echo 原有的运行环境已损坏，正在重建……",
        'rmdir /s /q "%ENVDIR%"',
        ":makeenv",
        "echo 正在创建运行环境（不需要联网）……",
        '%PY% -m venv "%ENVDIR%"',
        "if errorlevel 1 goto failenv",
        ":haveenv",
        "echo 正在安装程序包（不需要联网）……",
        '"%ENVDIR%\\Scripts\\python.exe" -m pip install --no-index --find-links "%HERE%wheels"'
        f" --disable-pip-version-check --upgrade {PACKAGE}",
        "if errorlevel 1 goto failpip",
        f'"%ENVDIR%\\Scripts\\jinguo-xl.exe" addin install --file "%HERE%{addin_name}"',
        "if errorlevel 1 goto failaddin",
        "echo.",
        "echo 安装完成。请重新打开 Excel，功能区会出现“巾帼统计”选项卡。",
        "pause",
        "exit /b 0",
        ":nopython",
        f"echo 没有找到可用的 Python。请先安装 python.org 的 Python {listed} 中任一版本（64 位，",
        "echo Windows installer 64-bit），安装时保留默认勾选的 py launcher，然后再双击本文件。",
        "pause",
        "exit /b 1",
        ":failenv",
        "echo 创建运行环境失败：请确认本机用户目录可以写入，或请信息技术人员协助。",
        "pause",
        "exit /b 1",
        ":failpip",
        "echo 安装程序包失败：请确认本文件夹中的 wheels 文件夹完整（重新解压整个压缩包），",
        "echo 并确认 Python 是上面列出的版本之一（64 位）。",
        "pause",
        "exit /b 1",
        ":failaddin",
        "echo 安装加载项失败：请按上面的提示处理"
        "（多为 Excel 仍在运行，请关闭所有 Excel 窗口）后重试。",
        "pause",
        "exit /b 1",
    ]
    return "\r\n".join(lines) + "\r\n"


def uninstall_bat() -> str:
    """``卸载.bat``: the add-in and its config line out, then the environment deleted."""
    lines = [
        "@echo off",
        "chcp 936 >nul",
        "setlocal EnableExtensions",
        "title 巾帼统计加载项 卸载",
        f'set "ENVDIR={ENV_DIR}"',
        'if not exist "%ENVDIR%\\Scripts\\jinguo-xl.exe" goto noenv',
        "echo 将从 Excel 中移除巾帼统计加载项，并删除它的运行环境。请先关闭所有 Excel 窗口。",
        "pause",
        '"%ENVDIR%\\Scripts\\jinguo-xl.exe" addin remove',
        "if errorlevel 1 goto failremove",
        'rmdir /s /q "%ENVDIR%"',
        "echo 已卸载。",
        "pause",
        "exit /b 0",
        ":noenv",
        "echo 这台电脑上没有找到本安装包装入的运行环境，无需卸载。",
        "pause",
        "exit /b 0",
        ":failremove",
        "echo 移除加载项失败：请按上面的提示处理（多为 Excel 仍在运行）后重试。",
        "pause",
        "exit /b 1",
    ]
    return "\r\n".join(lines) + "\r\n"


def encode(text: str) -> bytes:
    """The batch file's bytes: code page 936, refused if any rule below is broken."""
    problems = bat_problems(text)
    if problems:
        raise ValueError("；".join(problems))
    return text.encode(CODE_PAGE)


def bat_problems(text: str) -> list[str]:
    """Why a batch text would misbehave in cmd.exe; empty when it is fine."""
    found = []
    if re.search(r"(?<!\r)\n|\r(?!\n)", text):
        found.append("换行不是 CRLF")
    lines = text.split("\r\n")
    chcp = next((i for i, line in enumerate(lines) if line.startswith("chcp 936")), None)
    if chcp is None or any(not line.isascii() for line in lines[: chcp + 1]):
        found.append("切换代码页（chcp 936）之前出现了非 ASCII 字符")
    for number, line in enumerate(lines, start=1):
        if not line.isascii() and not re.match(r"^\s*(echo|title) ", line):
            found.append(f"第 {number} 行：非 ASCII 字符只能出现在 echo 或 title 中")
        try:
            data = line.encode(CODE_PAGE)
        except UnicodeEncodeError:
            found.append(f"第 {number} 行含 GBK 无法表示的字符")
            continue
        if _risky_trail(data):
            found.append(f"第 {number} 行的中文含 cmd 特殊字符的尾字节，请换一个说法")
        if re.search(r'(%~dp0|%HERE%)"', line) and not line.startswith('set "'):
            found.append(f"第 {number} 行：本文件夹路径以 \\ 结尾，后面不能直接跟引号")
        for var in ("%HERE%", "%ENVDIR%"):
            for at in (m.start() for m in re.finditer(re.escape(var), line)):
                if not line.startswith("set ") and line[:at].count('"') % 2 == 0:
                    found.append(f"第 {number} 行的路径 {var} 没有放在引号中")
    return found


def _risky_trail(data: bytes) -> bool:
    i = 0
    while i < len(data):
        if data[i] >= 0x81 and i + 1 < len(data):
            if data[i + 1] in RISKY_TRAIL_BYTES:
                return True
            i += 2
        else:
            i += 1
    return False
