"""``jinguo-xl``: the engine on the command line, for batch work and for offices on WPS.

No business logic lives here: each command turns arguments into one core call and the result
into Chinese text or JSON. Exit codes: 0 clean, 1 data errors or unreadable files, 2 could not
run (wrong usage, nothing to read, bad rules file), 130 interrupted (Ctrl+C), 141 the reader of
the output went away (``| head``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from jinguo_xl.errors import JinguoError
from jinguo_xl.findings import Severity
from jinguo_xl.read.formats import REFUSE
from jinguo_xl.rules import Rules, load_rules
from jinguo_xl.run.files import Passed, missing_paths, survey
from jinguo_xl.run.render import render_consolidation, render_report, render_summary
from jinguo_xl.version import __version__

if TYPE_CHECKING:
    from jinguo_xl.xlam.install import Profile

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl+C
EXIT_PIPE = 141  # 128 + SIGPIPE, as tools cut off by `head` end


# argparse's own English sentences, as Chinese a clerk can act on (Python 3.11–3.13 wording).
_ARGPARSE_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"^the following arguments are required: (.+)$", r"缺少必填的参数：\1"),
        (
            r"^argument (.+?): invalid choice: (.+?) \(choose from (.+)\)$",
            r"\1 不能是 \2，只能是 \3 之一",
        ),
        (
            r"^argument (.+?): unknown parser (.+?) \(choices: (.+)\)$",
            r"\1 不能是 \2，只能是 \3 之一",
        ),
        (r"^unrecognized arguments: (.+)$", r"无法识别的参数：\1"),
        (r"^argument (.+?): expected one argument$", r"\1 后面要写一个值"),
        (r"^argument (.+?): expected at least one argument$", r"\1 后面至少要写一个值"),
        (r"^argument (.+?): expected \d+ arguments?$", r"\1 后面的值个数不对"),
        (r"^argument (.+?): invalid int value: (.+)$", r"\1 应为整数，不能是 \2"),
        (r"^argument (.+?): invalid \w+ value: (.+)$", r"\1 的值 \2 无效"),
        (r"^argument (.+?): ignored explicit argument (.+)$", r"\1 不接受值 \2"),
        (r"^argument (.+?): not allowed with argument (.+)$", r"\1 不能与 \2 同时使用"),
        (r"^ambiguous option: (.+?) could match (.+)$", r"\1 不明确，可能是 \2"),
        (r"^argument (.+?): (.+)$", r"\1：\2"),
    )
)


def zh_usage_error(message: str) -> str:
    """argparse's English error → Chinese; anything unforeseen becomes a generic hint rather
    than an English sentence."""
    for pattern, text in _ARGPARSE_ZH:
        if pattern.match(message):
            zh = pattern.sub(text, message)
            return re.sub(r"'([^']*)'", r"“\1”", zh).replace("”, “", "”、“")
    return "命令行参数有误"


class _Formatter(argparse.HelpFormatter):
    """Help and usage with a Chinese ``用法：`` prefix."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # type: ignore[override]
        # argparse passes prefix="" when it builds a subcommand's name: keep that one bare.
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def format_help(self) -> str:
        # argparse ends a section title with a half-width colon (参数:): full-width, as 用法：
        return _SECTION_TITLE.sub(r"\1：", super().format_help())


_SECTION_TITLE = re.compile(r"^(\S[^\n：:]*):$", re.M)


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese: usage, section titles, ``-h`` and errors (exit code 2)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本说明后退出"
        )
        # Which (sub)command was parsed: an unknown option is told with that command's usage.
        self.set_defaults(_parser=self)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"用法错误：{zh_usage_error(message)}（加 -h 查看说明）", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="jinguo-xl",
        description="巾帼示范基地统计表：校验、达标判定与汇总（2020 年通知规则）",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"jinguo-xl {__version__}",
        help="显示版本号后退出",
    )
    parser.add_argument(
        "--rules-year",
        type=int,
        default=2020,
        metavar="年度",
        help="使用哪一年通知的规则（默认 2020）",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    check = sub.add_parser(
        "check",
        help="校验工作簿并判定每个基地是否达标",
        description="校验统计表工作簿（文件或文件夹，含子文件夹），输出每个基地的达标情况与问题。",
    )
    check.add_argument("paths", nargs="+", metavar="路径", help="工作簿文件或文件夹")
    check.add_argument(
        "--json",
        action="store_true",
        help="以 JSON 输出（供程序读取）；每个文件的 ok（即 read）表示文件已读取，"
        "不表示没有错误，错误条数见 finding_counts",
    )
    check.add_argument("--all-findings", action="store_true", help="列出全部问题而不只是前 10 条")
    check.set_defaults(func=cmd_check)

    cons = sub.add_parser(
        "consolidate",
        help="把区县或基地的工作簿汇总成一个总表",
        description="读取文件和文件夹（含子文件夹）中的全部统计表和汇总表，生成汇总工作簿。",
    )
    cons.add_argument("paths", nargs="+", metavar="路径", help="工作簿、汇总表或文件夹")
    cons.add_argument(
        "-o", "--output", required=True, metavar="文件", help="汇总表写到哪个 .xlsx 文件"
    )
    cons.add_argument("--json", action="store_true", help="以 JSON 输出汇总结果（供程序读取）")
    cons.add_argument(
        "--mask", action="store_true", help="汇总表中的姓名、电话、住址脱敏（对外报送用）"
    )
    cons.add_argument(
        "--roster",
        metavar="名单",
        help="应报送基地的名单（.xlsx），汇总表增加“报送情况”：已报送、未报送、名单外",
    )
    cons.add_argument(
        "--feedback",
        metavar="文件夹",
        help="在这个文件夹中为每个区县写一个问题清单（如 城口县_问题清单.xlsx），供退回修改",
    )
    cons.set_defaults(func=cmd_consolidate)

    roster = sub.add_parser(
        "roster",
        help="名单：生成应报送基地的名单模板",
        description="名单列出应报送的基地；汇总时用 --roster 对照，得出已报送、未报送和名单外。",
    )
    roster_actions = roster.add_subparsers(
        dest="roster_command", metavar="操作", parser_class=_Parser, help="template 生成名单模板"
    )
    roster_template = roster_actions.add_parser(
        "template",
        help="生成名单模板（.xlsx，区县、类型、产业带下拉列表）",
        description="生成名单模板：每行一个应报送的基地（区县、带动基地名称、创建基地类型、"
        "帮扶产业、所在乡镇（街道）、基地负责人姓名、备注）。",
    )
    roster_template.add_argument(
        "-o",
        "--output",
        default="名单.xlsx",
        metavar="文件",
        help="写到哪个文件（默认 ./名单.xlsx）",
    )
    roster_template.set_defaults(func=cmd_roster_template)
    roster.set_defaults(func=lambda args, rules: _addin_usage(roster))

    mask = sub.add_parser(
        "mask",
        help="生成脱敏副本（姓名、电话、住址）",
        description="复制一个工作簿，把统计表中的姓名、电话脱敏、住址只保留到乡镇，格式不变。",
    )
    mask.add_argument("source", metavar="工作簿", help="要脱敏的 .xlsx 工作簿（不会被修改）")
    mask.add_argument("-o", "--output", required=True, metavar="文件", help="脱敏副本写到哪里")
    mask.set_defaults(func=cmd_mask)

    scan = sub.add_parser(
        "scan",
        help="隐私检查：查找文件中任何位置的电话、身份证号、住址",
        description="逐个检查工作簿（文件或文件夹，含子文件夹）的每一部分：单元格、批注、页眉页脚、"
        "文档属性、超链接、数据验证提示、定义的名称、工作表名称、外部链接缓存、图形和图表文字，"
        "列出其中的电话号码、身份证号和住址；发现任何一处时退出码为 1。发送文件前可用它检查。",
    )
    scan.add_argument("paths", nargs="+", metavar="路径", help="工作簿文件或文件夹")
    scan.set_defaults(func=cmd_scan)

    template = sub.add_parser(
        "template",
        help="生成官方统计表模板（.xlsx）",
        description="生成带下拉列表、合计和校验公式的统计表模板，供基地填写。",
    )
    template.add_argument(
        "-o",
        "--output",
        default="统计表模板.xlsx",
        metavar="文件",
        help="写到哪个文件（默认 ./统计表模板.xlsx）",
    )
    template.set_defaults(func=cmd_template)

    demo = sub.add_parser(
        "demo",
        help="生成示例工作簿并校验（示例人员均为虚构）",
        description="在指定文件夹写入一组虚构的示例工作簿，校验它们并说明结果在哪里。",
    )
    demo.add_argument(
        "folder",
        nargs="?",
        default="jinguo_demo",
        metavar="文件夹",
        help="示例写到哪里（默认 ./jinguo_demo）",
    )
    demo.set_defaults(func=cmd_demo)
    _add_addin_parser(sub)
    return parser


def _add_addin_parser(sub: argparse._SubParsersAction) -> None:
    addin = sub.add_parser(
        "addin",
        help="Excel 加载项：构建、安装、移除、查看状态",
        description="构建 jinguo_xl.xlam 加载项，或把它安装到当前 Windows 用户的 Excel。",
    )
    actions = addin.add_subparsers(
        dest="addin_command",
        metavar="操作",
        parser_class=_Parser,
        help="build 构建、install 安装、remove 移除、status 查看状态",
    )
    build = actions.add_parser(
        "build",
        help="从 addin/ 下的源文件构建加载项（任何系统均可）",
        description="用 xlwings 自带的加载项模块和函数包装生成器，构建 jinguo_xl.xlam。",
    )
    build.add_argument(
        "-o", "--output", metavar="文件", help="写到哪里（默认 addin/jinguo_xl.xlam）"
    )
    build.set_defaults(func=cmd_addin_build)
    for name, helptext, func in (
        ("install", "安装到当前用户的 Excel（XLSTART），写入所用 Python 的路径", cmd_addin_install),
        ("remove", "从当前用户的 Excel 中移除加载项和配置", cmd_addin_remove),
        ("status", "查看加载项是否已安装、用的是哪个 Python", cmd_addin_status),
    ):
        action = actions.add_parser(name, help=helptext, description=helptext + "。")
        action.add_argument(
            "--profile",
            metavar="文件夹",
            help="把这个文件夹当作 Windows 用户目录（演练、测试用；默认为当前用户）",
        )
        if name != "remove":
            action.add_argument(
                "--file", metavar="文件", help="加载项文件（默认 addin/jinguo_xl.xlam）"
            )
        action.set_defaults(func=func)
    bundle = actions.add_parser(
        "bundle",
        help="制作 Windows 离线安装包（zip，需联网下载一次）",
        description="下载本项目及全部依赖的 Windows 安装包，连同加载项、模板和“安装.bat”"
        "打成一个 zip；办公电脑解压后双击“安装.bat”即可离线安装。",
    )
    bundle.add_argument("-o", "--output", metavar="文件", required=True, help="zip 写到哪里")
    bundle.add_argument(
        "--python",
        metavar="版本",
        action="append",
        help="支持的 Python 版本，可重复（默认 3.11 至 3.15，均为 64 位）",
    )
    bundle.add_argument(
        "--wheels", metavar="文件夹", help="使用已下载好的安装包文件夹，不再联网下载"
    )
    bundle.set_defaults(func=cmd_addin_bundle)
    addin.set_defaults(func=lambda args, rules: _addin_usage(addin))


# ---------------------------------------------------------------------- check


def _collect(paths: Sequence[str]) -> tuple[list[tuple[Path, str]], list[Passed]] | None:
    """The workbooks to read and the other files found (skipped or refused, with why)."""
    missing = missing_paths(paths)
    if missing:
        for p in missing:
            print(f"找不到：{p}", file=sys.stderr)
        return None
    return survey(paths)


def _none_found(paths: Sequence[str], passed: Sequence[Passed]) -> int:
    where = "、".join(paths)
    print(f"在 {where} 中没有找到可读取的工作簿（.xlsx、.xlsm、.xls、.xlsb、.ods、.et）",
          file=sys.stderr)
    for p in passed:
        print(f"  {p.shown}：{p.reason}", file=sys.stderr)
    return EXIT_USAGE


def _to_read(paths: Sequence[str]) -> tuple[list[tuple[Path, str]], list[Passed]] | int:
    """The files to read and the others found, or the exit code when there is nothing: a
    missing path, or folders holding no workbook and no file refused by name."""
    collected = _collect(paths)
    if collected is None:
        return EXIT_USAGE
    files, passed = collected
    if not files and not any(p.action == REFUSE for p in passed):
        return _none_found(paths, passed)
    return files, passed


def cmd_check(args: argparse.Namespace, rules: Rules) -> int:
    found = _to_read(args.paths)
    if isinstance(found, int):
        return found
    files, passed = found
    from jinguo_xl.run.batch import check_all, refused_reports

    reports = check_all(files, rules.year)  # each file in a guarded worker
    reports += refused_reports(passed)
    skipped = [p for p in passed if p.action != REFUSE]
    if args.json:
        print_json(
            {
                "files": [r.to_json(rules) for r in reports],
                "skipped": [{"file": p.shown, "reason": p.reason} for p in skipped],
            }
        )
    else:
        for report in reports:
            print(render_report(report, rules, all_findings=args.all_findings))
        for p in skipped:
            print(f"■ {p.shown}\n  已跳过：{p.reason}\n")
        print(render_summary(reports))
    errors = sum(r.error_count for r in reports if r.ok)
    failed = sum(not r.ok for r in reports)
    return _close(errors, failed, args.json, "请按上面的说明改正后重新校验")


def _close(errors: int, failed: int, as_json: bool, hint: str) -> int:
    """The exit code, and when it is 1 a last line saying why (on stderr beside JSON)."""
    if not errors and not failed:
        return EXIT_OK
    why = "，".join(
        part
        for part in (
            f"{errors} 个错误" if errors else "",
            f"{failed} 个文件无法读取" if failed else "",
        )
        if part
    )
    print(f"退出码 1：{why}；{hint}", file=sys.stderr if as_json else sys.stdout)
    return EXIT_DATA


def json_safe(value: object) -> object:
    """Values JSON can carry: a non-finite number becomes null (JSON has no NaN or Infinity),
    a Decimal a float (or null when out of range), a date its ISO text."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        value = float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def print_json(data: object) -> None:
    """Always valid JSON (``allow_nan=False`` after :func:`json_safe`)."""
    print(json.dumps(json_safe(data), ensure_ascii=False, indent=2, allow_nan=False))


# ---------------------------------------------------------------------- consolidate


def cmd_consolidate(args: argparse.Namespace, rules: Rules) -> int:
    from jinguo_xl.run.batch import consolidate_to, terminal_progress

    output = Path(args.output)
    if not _xlsx_output(output, "汇总表"):
        return EXIT_USAGE
    collected = _collect(args.paths)
    if collected is None:
        return EXIT_USAGE
    files, passed = collected
    target = output.resolve()
    if any(p.resolve() == target for p, _ in files):
        print(
            f"输出文件 {output} 也是输入之一：为免覆盖原件，请把汇总表写到输入文件夹之外",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not files:
        return _none_found(args.paths, passed)
    feedback = Path(args.feedback) if args.feedback else None
    if feedback is not None and (problem := _feedback_problem(feedback, args.paths)):
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    roster = None
    if args.roster:
        from jinguo_xl.read.roster import read_roster

        roster = read_roster(Path(args.roster), rules, display=args.roster)  # before any output
    progress = None if args.json else terminal_progress()
    writing = None if args.json else terminal_progress(label="写出汇总表")
    result, summary = consolidate_to(
        files,
        output,
        rules.year,
        mask=args.mask,
        progress=progress,
        write_progress=writing,
        roster=roster,
        passed=passed,
    )
    if feedback is not None:
        from jinguo_xl.writers.feedback import write_feedback

        written = write_feedback(feedback, result, rules, result.extra.get("roster"))  # type: ignore[arg-type]
        summary["feedback"] = {"folder": str(feedback), "files": [p.name for p in written]}
    if args.json:
        print_json(summary)
    else:
        print(render_consolidation(summary))
    failed = len(summary["files_failed"])
    errors = summary["findings"].get(Severity.ERROR, 0)  # type: ignore[union-attr]
    return _close(errors, failed, args.json, "详见汇总表的“问题清单”和“说明”")


def _feedback_problem(folder: Path, paths: Sequence[str]) -> str | None:
    """A feedback folder inside an input folder would be read back as submissions."""
    target = folder.resolve()
    for given in paths:
        source = Path(given).resolve()
        if source.is_dir() and (target == source or source in target.parents):
            return (
                f"问题清单文件夹 {folder} 在输入文件夹 {given} 之内：下次汇总会把问题清单当作报送的"
                "统计表读入，请写到输入文件夹之外"
            )
        if not source.is_dir() and target == source:
            return f"问题清单文件夹 {folder} 是输入文件之一"
    if folder.exists() and not folder.is_dir():
        return f"问题清单文件夹 {folder} 已存在但不是文件夹"
    return None


# ---------------------------------------------------------------------- roster


def _xlsx_output(path: Path, what: str) -> bool:
    """Outputs are .xlsx: anything else is said (``what`` names the output) and refused."""
    if path.suffix.lower() == ".xlsx":
        return True
    print(f"{what}只能保存为 .xlsx 文件", file=sys.stderr)
    return False


def cmd_roster_template(args: argparse.Namespace, rules: Rules) -> int:
    from jinguo_xl.writers.roster import write_roster_template

    path = Path(args.output)
    if not _xlsx_output(path, "名单"):
        return EXIT_USAGE
    write_roster_template(path, rules)
    print(f"已生成名单模板：{path}（每行填写一个应报送的基地；汇总时加 --roster {path}）")
    return EXIT_OK


# ---------------------------------------------------------------------- mask


def cmd_mask(args: argparse.Namespace, rules: Rules) -> int:
    from jinguo_xl.writers.masked import mask_guarded

    source = Path(args.source)
    if not source.is_file():
        print(f"找不到：{source}", file=sys.stderr)
        return EXIT_USAGE
    outcome = mask_guarded(source, Path(args.output), rules.year)  # like check: in a worker
    masked = outcome.result
    if masked is None:
        print(f"无法生成脱敏副本：{outcome.error}", file=sys.stderr)
        return EXIT_USAGE if outcome.write_failed else EXIT_DATA
    print(f"已生成脱敏副本：{args.output}（脱敏 {masked.cells} 个单元格）")
    for column in masked.columns:
        print(f"  {column.describe()}")
    for part, count in masked.parts.items():
        print(f"  {part}：遮盖 {count} 处")
    for removed in masked.removed:
        print(f"  已删除：{removed}")
    print("  隐私检查：副本的每一部分都已检查，未发现电话号码、身份证号或住址")
    return EXIT_OK


# ---------------------------------------------------------------------- scan


def cmd_scan(args: argparse.Namespace, rules: Rules) -> int:
    from jinguo_xl.read.leaks import scan_all
    from jinguo_xl.run.batch import printable_name

    found = _to_read(args.paths)
    if isinstance(found, int):
        return found
    files, passed = found
    refused = [p for p in passed if p.action == REFUSE]
    reports = scan_all([(path, printable_name(shown)) for path, shown in files])
    for p in refused:  # a CSV or a Word file may hold the same data: it is not checked
        print(f"隐私检查：{printable_name(p.shown)} —— 无法检查：{p.reason}")
    for report in reports:
        if report.error:
            print(f"隐私检查：{report.shown} —— 无法检查：{report.error}")
        elif not report.leaks:
            print(f"隐私检查：{report.shown} —— 未发现电话号码、身份证号或住址")
        else:
            print(f"隐私检查：{report.shown} —— 发现 {len(report.leaks)} 处个人信息：")
            for where, leaks in report.by_part().items():
                print(f"  {where}：")
                for leak in leaks:
                    at = f"{leak.cell} " if leak.cell else ""
                    print(f"    {at}{leak.kind} {leak.excerpt}")
    found = sum(bool(r.leaks) for r in reports)
    failed = sum(bool(r.error) for r in reports) + len(refused)
    print(f"共检查 {len(reports) + len(refused)} 个文件：{found} 个含个人信息，{failed} 个无法检查")
    if found or failed:
        print("退出码 1：请先用 jinguo-xl mask 生成脱敏副本，或删除上面列出的内容后再发送")
        return EXIT_DATA
    return EXIT_OK


# ---------------------------------------------------------------------- template


def cmd_template(args: argparse.Namespace, rules: Rules) -> int:
    from jinguo_xl.writers.template import write_template

    path = Path(args.output)
    if not _xlsx_output(path, "模板"):
        return EXIT_USAGE
    write_template(path, rules)
    print(f"已生成模板：{path}")
    return EXIT_OK


# ---------------------------------------------------------------------- demo


def cmd_demo(args: argparse.Namespace, rules: Rules) -> int:
    from jinguo_xl.demo import run_demo

    return run_demo(Path(args.folder), rules)


# ---------------------------------------------------------------------- addin


def _addin_usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_USAGE


def _profile(args: argparse.Namespace) -> Profile:
    from jinguo_xl.xlam.install import Profile

    return Profile.under(Path(args.profile)) if args.profile else Profile.from_environment()


def _addin_file(args: argparse.Namespace) -> Path:
    from jinguo_xl.xlam.build import DEFAULT_OUTPUT

    return Path(args.file) if getattr(args, "file", None) else DEFAULT_OUTPUT


def cmd_addin_build(args: argparse.Namespace, rules: Rules) -> int:
    from jinguo_xl.xlam.build import DEFAULT_OUTPUT, build

    output = Path(args.output) if args.output else DEFAULT_OUTPUT
    if output.suffix.lower() != ".xlam":
        print("加载项只能保存为 .xlam 文件", file=sys.stderr)
        return EXIT_USAGE
    sources = build(output)
    names = "、".join(u.name for u in sources.udfs)
    print(f"已构建加载项：{output}（{len(sources.modules)} 个模块；函数 {names}）")
    return EXIT_OK


def cmd_addin_install(args: argparse.Namespace, rules: Rules) -> int:
    from jinguo_xl.xlam.install import install

    result = install(_addin_file(args), _profile(args))
    print(f"已安装加载项：{result.addin}")
    print(f"已写入配置：{result.config_file}（Python：{result.interpreter}）")
    print("请重新打开 Excel，功能区会出现“巾帼统计”选项卡。")
    return EXIT_OK


def cmd_addin_remove(args: argparse.Namespace, rules: Rules) -> int:
    from jinguo_xl.xlam.install import remove

    changed = remove(_profile(args))
    if not changed:
        print("没有找到已安装的加载项，无需移除。")
    for path in changed:
        print(f"已移除：{path}")
    return EXIT_OK


def cmd_addin_status(args: argparse.Namespace, rules: Rules) -> int:
    from jinguo_xl.xlam.install import status

    state = status(_profile(args), _addin_file(args))
    print("\n".join(state.lines()))
    return EXIT_OK if state.installed and state.interpreter else EXIT_DATA


def cmd_addin_bundle(args: argparse.Namespace, rules: Rules) -> int:
    from jinguo_xl.xlam.bundle import PYTHONS, make_bundle

    output = Path(args.output)
    if output.suffix.lower() != ".zip":
        print("离线安装包只能保存为 .zip 文件", file=sys.stderr)
        return EXIT_USAGE
    pythons = tuple(args.python) if args.python else PYTHONS
    print(f"正在准备 Python {'、'.join(pythons)}（64 位）的离线安装包……")
    names = make_bundle(output, pythons, Path(args.wheels) if args.wheels else None)
    wheels = sum(n.startswith("wheels/") for n in names)
    size = output.stat().st_size / 1e6
    print(f"已写出离线安装包：{output}（{size:.0f} MB，{wheels} 个安装包，已离线核对可安装）")
    return EXIT_OK


# ---------------------------------------------------------------------- entry

# Ctrl+C: every output is written to a temporary file first, so what was there stays intact.
_INTERRUPTED = {
    "consolidate": "已中断，原有汇总表未改动",
    "demo": "已中断，原有汇总表未改动",
    "mask": "已中断，原有文件未改动",
    "roster": "已中断，原有文件未改动",
    "template": "已中断，原有文件未改动",
}


def _quiet_stdout() -> None:
    """The reader of our output has gone: send what is still buffered nowhere, so the
    interpreter's last flush does not complain."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also used by the console script)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # `check --bogus`: check's usage, not the top level's
        args._parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        rules = load_rules(args.rules_year)
        return args.func(args, rules)
    except JinguoError as exc:
        print(f"无法运行：{exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into a reader that stopped early (head, less)
        _quiet_stdout()
        return EXIT_PIPE
    except OSError as exc:  # an output that cannot be written: open in Excel, no permission…
        where = f"“{exc.filename}”" if exc.filename else "文件"
        print(
            f"无法写入{where}（{exc.strerror or exc}）：如果它正在 Excel 或 WPS 中打开，"
            "请关闭后重试；或换一个有写入权限的文件夹",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(_INTERRUPTED.get(args.command, "已中断"), file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
