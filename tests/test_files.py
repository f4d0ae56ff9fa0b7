"""From a path to a report: folders walked, lock files skipped, failures kept as reports."""

from __future__ import annotations

from jinguo_xl.run.files import check_file, display_path, iter_workbooks
from tests.conftest import base_line, people, stacked, write_xlsx


def test_folders_are_walked_recursively_in_stable_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for rel in (
        "b县/x.xlsx",
        "a县/深/y.XLSX",
        "a县/z.xls",
        "a县/~$y.xlsx",
        "a县/.hidden.xlsx",
        "a县/readme.txt",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    shown = [s for _, s in iter_workbooks([tmp_path / "a县", "b县/x.xlsx"])]
    assert shown == ["a县/z.xls", "a县/深/y.XLSX", "b县/x.xlsx"]


def test_path_outside_the_working_folder_is_shown_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "城口县" / "x.xlsx") == "城口县/x.xlsx"
    assert display_path(tmp_path.parent / "y.xlsx") == (tmp_path.parent / "y.xlsx").as_posix()


def test_unreadable_file_is_a_report_not_an_exception(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04broken")
    report = check_file(path, display="坏.xlsx")
    assert (report.ok, report.status, report.rows_read) == (False, "未填报", 0)
    assert "压缩包不完整" in report.error
    assert report.to_json(__import__("jinguo_xl.rules").rules.load_rules())["status"] is None


def test_report_counts_rows_and_errors(tmp_path):
    grid = stacked(base_line(), {"手工制作": people(3, extra=["很多"])})
    report = check_file(write_xlsx(tmp_path / "城口县" / "x.xlsx", {"s": grid}))
    assert report.rows_read == 3
    assert report.error_count == 3  # three unreadable money cells
