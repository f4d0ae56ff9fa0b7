"""The VBA project pyOpenVBA writes, brought to the letter of MS-OVBA before it ships.

pyOpenVBA 6.5.0 gets two things wrong that Office may tolerate or may "repair" (a clerk reads a
repair prompt as "the file is broken"), and the template carries xlwings' quickstart name:

- the ``dir`` stream's terminator is written as a generic record, ``0x0010`` plus a zero Size,
  and then its Reserved field again: 4 zero bytes after the end of the stream (§2.3.4.2);
- records added to ``[Workspace]`` are appended after the template's trailing blank line, so
  the section has a blank line in the middle (§2.3.1.19 has none);
- the project is called ``MyAddin``, the name the clerk sees in the VBA editor and in the
  Trust Center.

Rather than patch the library, the built ``vbaProject.bin`` is rewritten here: the ``dir``
stream cut at its terminator and given our project name, the PROJECT stream's ``Name=`` set and
its ``[Workspace]`` lines kept together. :mod:`jinguo_xl.xlam.ovba` then checks the result on
its own reading of the spec.
"""

from __future__ import annotations

import struct

from jinguo_xl.xlam import ovba


def _dir_fixed(raw: bytes, project_name: str) -> bytes:
    """The decompressed ``dir`` stream ending at its terminator, with PROJECTNAME replaced."""
    info = ovba.parse_dir(raw)
    start, end = info.name_span
    encoded = project_name.encode(f"cp{info.code_page}")
    record = struct.pack("<HI", 0x0004, len(encoded)) + encoded
    return raw[:start] + record + raw[end : info.end]


def _project_fixed(raw: bytes, code_page: int, project_name: str) -> bytes:
    """The PROJECT text with our ``Name=`` and no blank line inside ``[Workspace]``."""
    lines = raw.decode(f"cp{code_page}").split("\r\n")
    out: list[str] = []
    in_workspace = False
    for line in lines:
        if line.startswith("Name=") and not in_workspace:
            line = f'Name="{project_name}"'
        if line == "[Workspace]":
            in_workspace = True
        elif in_workspace and not line:
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return ("\r\n".join(out) + "\r\n").encode(f"cp{code_page}")


def conform(vba_bin: bytes, project_name: str) -> bytes:
    """``vbaProject.bin`` rewritten so that :func:`ovba.problems` finds nothing to report."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress

    cfb = CFB.from_bytes(vba_bin)
    raw_dir = ovba.decompress(cfb.get_stream_in_storage("VBA", "dir"), "dir")
    code_page = ovba.parse_dir(raw_dir).code_page
    cfb.write_stream_in_storage("VBA", "dir", compress(_dir_fixed(raw_dir, project_name)))
    cfb.write_stream("PROJECT", _project_fixed(cfb.get_stream("PROJECT"), code_page, project_name))
    return cfb.to_bytes()
