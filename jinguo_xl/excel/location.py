"""Where an open workbook lives on this computer, for the buttons that read files from disk.

A book opened from a OneDrive or SharePoint folder reports ``FullName`` as a web address
(``https://d.docs.live.net/<id>/文档/城口县/台账.xlsx``), not a path. The synced copy is in
the local OneDrive folder Windows names in the ``OneDrive`` / ``OneDriveCommercial``
environment variables; we look for it there and, failing that, say so in Chinese.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from jinguo_xl.excel.texts import TEXT

_ENV_KEYS = ("OneDriveCommercial", "OneDriveConsumer", "OneDrive")


def is_web(fullname: str) -> bool:
    return fullname.lower().startswith(("https://", "http://"))


def _candidates(fullname: str) -> list[PurePosixPath]:
    """Tails of the web path that the local folder may hold, longest first."""
    parts = [unquote(p) for p in urlsplit(fullname).path.split("/") if p]
    if "d.docs.live.net" in urlsplit(fullname).netloc.lower() and parts:
        parts = parts[1:]  # the first segment is the account id
    return [PurePosixPath(*parts[i:]) for i in range(len(parts)) if parts[i:]]


def local_path(fullname: str, env: Mapping[str, str] | None = None) -> Path | None:
    """The workbook's file on this computer, or None if it has none (never saved, not synced).

    For a web address every OneDrive root from the environment is tried with the address's
    tails (personal OneDrive drops its account id; SharePoint libraries keep ``Documents/…``
    or the library name), the first existing file wins.
    """
    if not fullname:
        return None
    if not is_web(fullname):
        path = Path(fullname)
        return path if path.is_file() else None
    env = os.environ if env is None else env
    roots = [Path(env[k]) for k in _ENV_KEYS if env.get(k)]
    for tail in _candidates(fullname):
        for root in roots:
            path = root.joinpath(*tail.parts)
            if path.is_file():
                return path
    return None


def where_message(fullname: str) -> str:
    """Why no local file was found, in words the clerk can act on."""
    return TEXT["web-book"] if is_web(fullname) else TEXT["never-saved"]


def folder_source(fullname: str, env: Mapping[str, str] | None = None) -> str:
    """The path whose folder names the county: the local copy, else the web address's path."""
    local = local_path(fullname, env)
    if local is not None:
        return str(local)
    if is_web(fullname):
        return unquote(urlsplit(fullname).path)
    return fullname
