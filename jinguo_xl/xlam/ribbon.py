"""The ribbon XML read and checked against the macros it promises.

Excel reports a broken ribbon only when "Show add-in user interface errors" is switched on,
which no clerk has done: a callback that does not resolve or an icon name that does not exist
just shows nothing. So the build checks each button here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from defusedxml import ElementTree

from jinguo_xl.xlam.package import RIBBON_NS
from jinguo_xl.xlam.vba import public_procedures

# imageMso names used by this ribbon, each one seen working in published customUI files and
# in Microsoft's Office Fluent control identifier lists; a name not listed here is refused so
# that a typo cannot silently leave a button without an icon.
KNOWN_IMAGES = frozenset(
    {"AutoSum", "CalculateNow", "Clear", "DataValidation", "FileNew", "Help", "Lock", "MacroPlay"}
)
CONTROL_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
CALLBACK_ATTRS = ("onAction", "getLabel", "getEnabled", "getVisible", "getImage", "onLoad")


@dataclass(frozen=True)
class Button:
    """One ribbon button as the clerk sees it and as VBA is called."""

    id: str
    label: str
    image: str
    on_action: str
    screentip: str
    supertip: str


def parse(xml: str) -> tuple[str, list[Button]]:
    """(tab label, buttons in ribbon order)."""
    root = ElementTree.fromstring(xml.encode("utf-8"))
    ns = {"ui": RIBBON_NS}
    if root.tag != f"{{{RIBBON_NS}}}customUI":
        raise ValueError("功能区 XML 的根元素必须是 2009/07 命名空间的 customUI")
    tab = root.find(".//ui:tab", ns)
    buttons = [
        Button(
            id=b.get("id", ""),
            label=b.get("label", ""),
            image=b.get("imageMso", ""),
            on_action=b.get("onAction", ""),
            screentip=b.get("screentip", ""),
            supertip=b.get("supertip", ""),
        )
        for b in root.iter(f"{{{RIBBON_NS}}}button")
    ]
    return (tab.get("label", "") if tab is not None else ""), buttons


def callbacks(xml: str) -> list[tuple[str, str]]:
    """(attribute, procedure) of every callback the XML names, buttons or not."""
    root = ElementTree.fromstring(xml.encode("utf-8"))
    return [(a, el.get(a)) for el in root.iter() for a in CALLBACK_ATTRS if el.get(a)]


def problems(xml: str, modules: Mapping[str, str], handlers: set[str]) -> list[str]:
    """What would make a button do nothing, in Chinese; empty when every button works.

    ``modules`` maps standard-module name → source; ``handlers`` are the ids Python handles.
    """
    found = []
    _, buttons = parse(xml)
    ids = [b.id for b in buttons]
    for b in buttons:
        if not CONTROL_ID.match(b.id):
            # The id is pasted into a command line; only plain names are safe there.
            found.append(f"按钮 id“{b.id}”只能用英文字母、数字和下划线")
        if b.id not in handlers:
            found.append(f"按钮 {b.id}（{b.label}）在 Python 中没有对应的处理函数")
        if b.image not in KNOWN_IMAGES:
            found.append(f"按钮 {b.id} 的图标 {b.image!r} 不在已核实的 imageMso 列表中")
        if not b.label or not b.supertip:
            found.append(f"按钮 {b.id} 缺少中文标题或说明")
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        found.append(f"按钮 id {duplicate} 重复")
    for missing in sorted(handlers - set(ids)):
        found.append(f"Python 处理函数 {missing} 没有对应的按钮")
    procs = {name: dict(public_procedures(src)) for name, src in modules.items()}
    for attr, target in callbacks(xml):
        module, _, proc = target.rpartition(".")
        owners = [m for m, p in procs.items() if proc in p and (not module or m == module)]
        if len(owners) != 1:
            found.append(f"回调 {target} 找不到唯一的公共过程")
        elif attr == "onAction" and procs[owners[0]][proc] != 1:
            found.append(f"按钮回调 {target} 必须正好有一个参数 (control As IRibbonControl)")
    return found
