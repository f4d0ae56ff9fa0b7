"""Built-in sample data: fictional bases in several counties, all 11 type × industry
combinations, some meeting their targets, some not, some with the mistakes clerks make.

Everything is generated from a fixed seed, so the demo and the benchmarks see the same files on
every machine. The people are invented: base names start with 示例, phones use the well-known
placeholder block 138 0013 xxxx, and every row's 备注 says 示例数据.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shlex
import shutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinguo_xl.rules import Rules
from jinguo_xl.writers.sample import write_sample

SURNAMES = "张王李刘陈杨黄赵吴周徐孙马朱胡郭何罗高林谭冉向田彭"
GIVEN = [
    "玉兰",
    "秀英",
    "桂芳",
    "春梅",
    "晓燕",
    "小红",
    "丽",
    "芳",
    "敏",
    "静",
    "桂英",
    "翠花",
    "明珍",
    "素琴",
    "红梅",
    "冬梅",
    "海燕",
    "金凤",
    "德芬",
    "永秀",
    "家琼",
    "光碧",
    "世英",
    "银花",
]
VILLAGES = ["青山村", "石桥村", "新华村", "桃园村", "龙泉村", "白岩村", "茶园村", "红岩村"]
CONTENTS = {
    "手工制作": ["竹编技艺", "刺绣基础", "土家织锦", "草编工艺"],
    "家政服务": ["母婴护理", "养老护理", "家庭保洁", "烹饪技能"],
    "农村电商": ["网店开设", "直播带货", "产品拍摄", "物流打包"],
    "乡村旅游": ["民宿接待", "农家乐烹饪", "导游讲解", "客房服务"],
    "种植养殖": ["脆李种植", "中药材栽培", "生猪养殖", "蜜蜂养殖"],
    "加工制造": ["腊肉加工", "服装缝纫", "茶叶加工", "电子装配"],
}
MONEY_KEY = {
    "手工制作": "income",
    "加工制造": "income",
    "农村电商": "sales",
    "种植养殖": "industry_income",
}
NOTE = "示例数据，人员均为虚构"


@dataclass(frozen=True, slots=True)
class Plan:
    """One sample base: who, where, how many trainings, and which mistakes it carries."""

    folder: str
    name: str
    type: str
    industry: str
    layout: str = "stacked"
    county_field: str | None = None  # 所属区县 as typed; None: only the folder tells
    township: str | None = None
    women: int = 30
    sessions: int = 4
    per_session: int = 15
    counted_share: float = 0.9
    employed_share: float = 0.8
    qualified_share: float = 0.85
    money_per_woman: float = 0.3  # 万元 per employed woman
    households: int = 0  # 家庭工坊: number of distinct households (addresses)
    declared_households: int | None = None
    startups: int = 0
    mistakes: tuple[str, ...] = ()
    shared_women: int = 0  # women also helped by the previous base (cross-base duplicates)


PLANS: tuple[Plan, ...] = (
    Plan(
        "城口县",
        "示例·城口县鸡鸣乡巾帼竹编扶贫车间",
        "巾帼扶贫车间",
        "手工制作",
        township="鸡鸣乡",
        women=30,
        sessions=4,
        per_session=16,
        employed_share=0.8,
    ),
    Plan(
        "城口县",
        "示例·城口县刺绣家庭工坊",
        "巾帼扶贫家庭工坊",
        "手工制作",
        layout="per_sheet",
        county_field="城口",
        township="修齐镇",
        women=3,
        sessions=22,
        per_session=3,
        households=2,
        declared_households=2,
        money_per_woman=0.8,
        shared_women=2,
    ),
    Plan(
        "酉阳县",
        "示例·酉阳车田乡脆李种植基地",
        "巾帼脱贫基地",
        "种植养殖",
        township="车田乡",
        women=40,
        sessions=4,
        per_session=20,
        employed_share=0.4,
        money_per_woman=0.5,
    ),
    Plan(
        "酉阳县",
        "示例·酉阳浪坪乡中药材家庭工坊",
        "巾帼扶贫家庭工坊",
        "种植养殖",
        layout="per_sheet",
        county_field="酉阳土家族苗族自治县",
        township="浪坪",
        women=4,
        sessions=12,
        per_session=4,
        households=2,
        money_per_woman=1.2,
    ),
    Plan(
        "石柱县",
        "示例·石柱中益乡家政服务扶贫车间",
        "巾帼扶贫车间",
        "家政服务",
        township="中益乡",
        women=45,
        sessions=3,
        per_session=15,
        employed_share=0.6,
        qualified_share=0.8,
        mistakes=("yesno",),
    ),
    Plan(
        "奉节县",
        "示例·奉节平安乡电商脱贫基地",
        "巾帼脱贫基地",
        "农村电商",
        township="平安乡",
        women=20,
        sessions=3,
        per_session=10,
        employed_share=0.1,
        money_per_woman=12,
    ),
    Plan(
        "奉节县",
        "示例·奉节脐橙电商家庭工坊",
        "巾帼扶贫家庭工坊",
        "农村电商",
        layout="per_sheet",
        county_field="奉节县",
        township="永乐镇",
        women=3,
        sessions=6,
        per_session=3,
        households=2,
        money_per_woman=0.5,
    ),
    Plan(
        "巫溪县",
        "示例·巫溪红池坝镇乡村旅游脱贫基地",
        "巾帼脱贫基地",
        "乡村旅游",
        township="红池坝镇",
        women=20,
        sessions=2,
        per_session=12,
        employed_share=0.45,
    ),
    Plan(
        "巫溪县",
        "示例·巫溪宁厂民宿家庭工坊",
        "巾帼扶贫家庭工坊",
        "乡村旅游",
        layout="per_sheet",
        county_field="巫溪",
        township="宁厂镇",
        women=2,
        sessions=21,
        per_session=2,
        households=1,
        startups=1,
    ),
    Plan(
        "黔江区",
        "示例·黔江金溪镇服装加工扶贫车间",
        "巾帼扶贫车间",
        "加工制造",
        township="金溪镇",
        women=35,
        sessions=3,
        per_session=20,
        employed_share=0.75,
        shared_women=0,
    ),
    Plan(
        "黔江区",
        "示例·黔江腊肉加工家庭工坊",
        "巾帼扶贫家庭工坊",
        "加工制造",
        layout="per_sheet",
        county_field="黔江区",
        township="濯水镇",
        women=4,
        sessions=8,
        per_session=3,
        households=2,
        money_per_woman=0.3,
        mistakes=("phone", "yuan", "text-money", "women-variant"),
    ),
    Plan(
        "彭水县",
        "示例·彭水苗绣扶贫车间",
        "巾帼扶贫车间",
        "手工制作",
        township="大垭乡",
        women=30,
        sessions=3,
        per_session=18,
        employed_share=0.7,
        mistakes=("phone", "date-text", "women-variant", "duplicate", "address"),
    ),
    Plan(
        "开州区",
        "示例·开州大进镇生猪养殖脱贫基地",
        "巾帼脱贫基地",
        "种植养殖",
        layout="per_sheet",
        county_field="开州",
        township="大进镇",
        women=40,
        sessions=5,
        per_session=22,
        employed_share=0.6,
        money_per_woman=0.6,
        shared_women=3,
    ),
    Plan(
        "云阳县",
        "示例·云阳泥溪镇茶叶加工扶贫车间",
        "巾帼扶贫车间",
        "加工制造",
        township="泥溪镇",
        women=0,
        sessions=0,
        per_session=0,
    ),
)


def _person(rng: random.Random, serial: int) -> tuple[str, str]:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    return name, f"1380013{serial % 10000:04d}"


def plan_rows(
    plan: Plan, rules: Rules, rng: random.Random, serial: int, shared: list[tuple[str, str, str]]
) -> list[dict[str, object]]:
    """Rows of one sample base: each session attended by ``per_session`` of its women.

    ``shared`` holds women of the previous base; the first ``plan.shared_women`` of them are
    helped here too, and on return it holds this base's first women for the next one.
    """
    county = plan.folder
    women: list[tuple[str, str, str, str]] = []  # name, phone, address, type
    kinds = rules.women_types
    for i in range(plan.women):
        if i < plan.shared_women and i < len(shared):
            name, phone, address = shared[i]
        else:
            name, phone = _person(rng, serial + i)
            if plan.households:
                home = i % plan.households
                address = f"{county}{plan.township}{VILLAGES[home]}{home + 1}组"
            else:
                address = f"{county}{plan.township}{rng.choice(VILLAGES)}{rng.randint(1, 9)}组"
        counted = i < round(plan.women * plan.counted_share) or plan.households
        kind = (kinds[0] if i % 3 == 0 else kinds[1]) if counted else kinds[2 + i % 2]
        women.append((name, phone, address, kind))
    employed = {w[0:2] for w in women[: round(plan.women * plan.employed_share)]}
    qualified_cut = plan.qualified_share
    money_key = MONEY_KEY.get(plan.industry)
    rows: list[dict[str, object]] = []
    start = dt.date(rules.year, 3, 2)
    contents = CONTENTS[plan.industry]
    paid: set[tuple[str, str]] = set()
    for s in range(plan.sessions):
        day = start + dt.timedelta(days=9 * s)
        content = contents[s % len(contents)]
        attendees = [
            women[(s * plan.per_session + k) % len(women)] for k in range(plan.per_session)
        ]
        for name, phone, address, kind in attendees:
            row: dict[str, object] = {
                "name": name,
                "address": address,
                "phone": phone,
                "train_date": day,
                "train_content": content,
                "women_type": kind,
                "note": NOTE,
            }
            is_employed = (name, phone) in employed
            if money_key:
                if plan.households:
                    row[money_key] = round(plan.money_per_woman / max(1, plan.sessions // 2), 2)
                elif is_employed and (name, phone) not in paid:
                    row[money_key] = plan.money_per_woman
                    paid.add((name, phone))
            if "employed" in rules.tables[plan.industry].columns:
                row["employed"] = "是" if is_employed else "否"
            if "qualified" in rules.tables[plan.industry].columns:
                row["qualified"] = "是" if rng.random() < qualified_cut else "否"
            if "startup" in rules.tables[plan.industry].columns:
                row["startup"] = (
                    "是" if (women.index((name, phone, address, kind)) < plan.startups) else "否"
                )
            rows.append(row)
    shared[:] = [(n, p, a) for n, p, a, _ in women[:5]]  # the next base helps some of them too
    _inject(plan.mistakes, rows, money_key)
    return rows


def _inject(mistakes: Iterable[str], rows: list[dict[str, object]], money_key: str | None) -> None:
    """The typical mistakes: each touches a few fixed rows so the findings are predictable."""
    if not rows:
        return
    for mistake in mistakes:
        if mistake == "phone":
            rows[1]["phone"] = "1380013123"  # one digit short
            rows[2]["phone"] = "１３８ ００１３ ０００２"  # full-width with spaces: read fine
        elif mistake == "yuan" and money_key:
            rows[3][money_key] = 15000
        elif mistake == "text-money" and money_key:
            rows[4][money_key] = "0.5万元"
        elif mistake == "yesno":
            for key in ("employed", "qualified", "startup"):
                if key in rows[5]:
                    rows[5][key] = "√"
        elif mistake == "women-variant":
            rows[6]["women_type"] = "贫困户"
            rows[7]["women_type"] = "五保户"
        elif mistake == "date-text":
            rows[8]["train_date"] = "2020.3.2"
            rows[9]["train_date"] = "2020年3月2日-4日"
            rows[10]["train_date"] = "三月初"
        elif mistake == "duplicate":
            rows.append(dict(rows[0]))
        elif mistake == "address":
            rows[11]["address"] = None


def write_plans(
    folder: Path, plans: Iterable[Plan], rules: Rules, *, seed: int | None = None
) -> list[Path]:
    """Write one workbook per plan under ``folder/<区县>/``; returns the files written."""
    rng = random.Random(rules.year if seed is None else seed)
    written: list[Path] = []
    shared: list[tuple[str, str, str]] = []
    for n, plan in enumerate(plans):
        rows = plan_rows(plan, rules, rng, serial=n * 100, shared=shared)
        base: dict[str, object] = {
            "带动基地名称": plan.name,
            "创建基地类型": plan.type,
            "基地负责人姓名": rng.choice(SURNAMES) + rng.choice(GIVEN),
        }
        if plan.county_field:
            base["所属区县"] = plan.county_field
        if plan.township:
            base["所在乡镇（街道）"] = plan.township
        if plan.layout == "per_sheet":
            base["帮扶产业"] = plan.industry
            if plan.declared_households:
                base["帮扶户数"] = plan.declared_households
            base["统计年度"] = rules.year
            base["填报日期"] = dt.date(rules.year, 8, 31)
        path = folder / plan.folder / f"{plan.name.replace('·', '_')}.xlsx"
        tables = {plan.industry: rows} if rows else {}
        written.append(write_sample(path, rules, base, tables, layout=plan.layout))
    return written


def write_demo(folder: Path, rules: Rules) -> list[Path]:
    """Write the built-in sample bases (:data:`PLANS`)."""
    return write_plans(folder, PLANS, rules)


def corpus_plans(files: int, rows: int | Sequence[int], rules: Rules) -> list[Plan]:
    """``files`` synthetic bases of about ``rows`` rows each (or, given several sizes, the
    sizes in turn), cycling through every county and every type × industry combination (for
    benchmarks and load tests)."""
    combos = [(bt.name, ind, bt.per_household) for bt in rules.base_types for ind in bt.industries]
    sizes = [rows] if isinstance(rows, int) else list(rows)
    plans = []
    for i in range(files):
        rows = sizes[i % len(sizes)]
        county = rules.counties[i % len(rules.counties)]
        kind, industry, per_household = combos[i % len(combos)]
        layout = "per_sheet" if i % 2 else "stacked"
        if per_household:
            sessions = max(1, rows // 6)
            plan = Plan(
                county.name,
                f"示例·{county.name}第{i + 1}号{industry}家庭工坊",
                kind,
                industry,
                layout=layout,
                county_field=county.name,
                township="示例镇",
                women=6,
                sessions=sessions,
                per_session=6,
                households=3,
                startups=1,
            )
        else:
            per_session = max(1, rows // 4)
            plan = Plan(
                county.name,
                f"示例·{county.name}第{i + 1}号{industry}基地",
                kind,
                industry,
                layout=layout,
                county_field=county.name,
                township="示例镇",
                women=max(1, per_session * 3 // 2),
                sessions=4,
                per_session=per_session,
            )
        plans.append(plan)
    return plans


INPUTS = "样例工作簿"  # the sample workbooks, apart from what the demo writes from them
MASTER = "全市汇总.xlsx"
TEMPLATE = "统计表模板.xlsx"


def run_demo(folder: Path, rules: Rules) -> int:
    """Write the samples, check them, consolidate them, and say where everything is.

    The samples go to ``folder/样例工作簿/<区县>/``; the master and the blank template are
    written beside that folder, so checking or consolidating the samples again reads only
    samples. The closing hints are commands that can be pasted as they are."""
    from jinguo_xl.run.files import check_file, display_path
    from jinguo_xl.run.render import render_summary

    inputs = folder / INPUTS
    files = write_demo(inputs, rules)
    print(f"已在 {display_path(inputs)} 写入 {len(files)} 个示例工作簿（人员均为虚构）：")
    reports = [check_file(f, rules=rules, display=display_path(f)) for f in files]
    for r in reports:
        errors = r.error_count
        flag = f"，错误 {errors} 条" if errors else ""
        print(f"  {r.file}\n      {r.reason}{flag}")
    print(render_summary(reports))

    from jinguo_xl.run.batch import consolidate_to
    from jinguo_xl.writers.template import write_template

    master = folder / MASTER
    _, summary = consolidate_to([(f, display_path(f)) for f in files], master, rules.year)
    template = write_template(folder / TEMPLATE, rules)
    resent = summary["bases_listed"] - summary["bases"]  # type: ignore[operator]
    print(
        f"\n汇总表：{display_path(master)}（{summary['bases']} 个基地，"
        f"{summary['rows_in_master']} 行，跨基地重复人员 {summary['cross_base_duplicates']} 人"
        + (f"，重复报送 {resent} 份未计入" if resent else "")
        + "）"
    )
    print(f"空白模板：{display_path(template)}")
    command = cli_command()
    worst = max(reports, key=lambda r: r.error_count)
    print(f"\n查看某个基地的全部问题：\n  {command} check {shell_quote(display_path(worst.path))}")
    print(
        f"重新校验、汇总全部示例：\n  {command} check {shell_quote(display_path(inputs))}"
        f"\n  {command} consolidate {shell_quote(display_path(inputs))}"
        f" -o {shell_quote(display_path(master))}"
    )
    return 0


def cli_command() -> str:
    """How to run this very program again from the same shell, even with the virtual
    environment not activated: the full path of the ``jinguo-xl`` that is running, else the
    one on PATH, else this Python with ``-m jinguo_xl``."""
    running = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if running is not None and running.name.lower() in ("jinguo-xl", "jinguo-xl.exe"):
        return shell_quote(str(running.absolute()))
    found = shutil.which("jinguo-xl")
    if found:
        return shell_quote(found)
    return f"{shell_quote(sys.executable)} -m jinguo_xl"


def shell_quote(text: str) -> str:
    """``text`` as one shell word: bare when it is plain, else quoted for this system's
    shell (double quotes for cmd.exe, single quotes for POSIX shells)."""
    if re.fullmatch(r"[\w@%+=:,./\\-]+", text):
        return text
    if os.name == "nt":
        return f'"{text}"'
    return shlex.quote(text)
