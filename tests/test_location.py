"""Where an open workbook lives on this computer, OneDrive and SharePoint books included."""

from __future__ import annotations

from jinguo_xl.excel import location


def _file(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK")
    return path


def test_a_local_book_is_its_own_path_and_an_unsaved_one_has_none(tmp_path):
    book = _file(tmp_path / "城口县" / "台账.xlsx")
    assert location.local_path(str(book)) == book
    assert location.local_path("工作簿1") is None
    assert location.local_path("") is None
    assert "请先保存" in location.where_message("工作簿1")


def test_a_personal_onedrive_address_is_found_in_the_synced_folder(tmp_path):
    book = _file(tmp_path / "OneDrive" / "文档" / "城口县" / "台账.xlsx")
    url = "https://d.docs.live.net/4a1b2c3d/%E6%96%87%E6%A1%A3/%E5%9F%8E%E5%8F%A3%E5%8E%BF/台账.xlsx"
    env = {"OneDrive": str(tmp_path / "OneDrive")}
    assert location.local_path(url, env) == book
    assert location.folder_source(url, env) == str(book)


def test_a_sharepoint_address_is_found_under_the_business_onedrive(tmp_path):
    root = tmp_path / "OneDrive - 妇联"
    book = _file(root / "城口县" / "台账.xlsx")
    url = "https://fulian-my.sharepoint.com/personal/wang_fulian_cn/Documents/城口县/台账.xlsx"
    assert location.local_path(url, {"OneDriveCommercial": str(root)}) == book


def test_an_address_with_no_synced_copy_keeps_its_folder_for_the_county_and_says_why():
    url = "https://d.docs.live.net/4a1b2c3d/%E5%9F%8E%E5%8F%A3%E5%8E%BF/台账.xlsx"
    assert location.local_path(url, {}) is None
    assert location.folder_source(url, {}) == "/4a1b2c3d/城口县/台账.xlsx"
    assert "OneDrive/SharePoint" in location.where_message(url)
