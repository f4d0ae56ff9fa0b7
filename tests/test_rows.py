"""The master's rows, built once for the writer and the API: verdict text and a person's cells."""

from __future__ import annotations

from decimal import Decimal

from jinguo_xl.combine.rows import person_values, status_text
from jinguo_xl.run.files import check_file
from tests.conftest import base_line, stacked, woman, write_xlsx


def test_a_verdict_with_open_errors_says_how_many():
    assert status_text("达标", 0) == "达标"
    assert status_text("达标", 3) == "达标（另有 3 个错误待改正）"
    assert status_text("基本达标", 1) == "基本达标（另有 1 个错误待改正）"
    assert status_text("未达标", 3) == "未达标"  # nothing to qualify


def test_person_cells_normalised_and_masked_with_a_phone_typed_in_the_note(tmp_path, rules):
    rows = [
        woman("王秀英", "13800130001", extra=["1.5万"], note="另一电话 13800130009"),
        woman("李梅", "13800130002", extra=[0.5], kind="建档立卡贫困户"),
    ]
    path = write_xlsx(tmp_path / "甲.xlsx", {"统计表": stacked(base_line(), {"手工制作": rows})})
    (table,) = [t for t in check_file(path, rules=rules).tables if t.rows]
    first = person_values(table.rows[0], mask=False)
    assert first[1:4] == ["王秀英", "城口县鸡鸣乡青山村1组", "13800130001"]
    assert first[6] == Decimal("1.5")  # 1.5万 read as 万元
    masked = person_values(table.rows[0], mask=True)
    text = " ".join(str(v) for v in masked)
    assert "13800130001" not in text and "13800130009" not in text and "王秀英" not in text
    assert masked[6] == Decimal("1.5")  # an amount is no phone: kept
    assert len(first) == len(masked) == 13
