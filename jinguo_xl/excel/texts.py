"""Every sentence the ribbon buttons show the clerk, in one place so wording stays consistent.

Each says what happened and what to do next, naming the sheet or file; placeholders in
{braces} are filled by the button that shows it.
"""

from __future__ import annotations

TITLE = "巾帼统计"
TEXT: dict[str, str] = {
    "unknown-button": "未知的按钮：{id}。请更新巾帼统计加载项。",
    "no-excel": "没有找到正在运行的 Excel，请在 Excel 中点击按钮。",
    "no-book": "请先打开一个统计表工作簿，再点击按钮。",
    "protected-view": (
        "本工作簿在“受保护的视图”中打开，不能修改。请点击窗口上方黄色提示条中的“启用编辑”，"
        "再点击按钮。"
    ),
    "structure-protected": (
        "本工作簿的结构受保护，按钮不能添加或删除工作表。请在“审阅 → 保护工作簿”中撤消保护"
        "（需要密码时请向设置保护的人索取），再点击按钮。"
    ),
    "sheets-protected": (
        "工作表{sheets}受保护，按钮不能在上面标色或加批注。请在该表的“审阅 → 撤消工作表保护”中"
        "取消保护，再点击按钮。本次没有做任何修改。"
    ),
    "sheet-not-ours": (
        "本工作簿已有一张名为“{sheet}”的工作表，不是本加载项生成的，按钮不会改写它。"
        "请把它改名后再点击按钮。"
    ),
    "unsaved": (
        "本工作簿有尚未保存的修改，而“{button}”读取的是已保存的文件。请先保存（Ctrl+S），"
        "再点击按钮。"
    ),
    "unsaved-in-folder": (
        "文件夹中的{books}在 Excel 中打开着且有尚未保存的修改，汇总读取的是已保存的文件。"
        "请先保存这些工作簿，再点击“汇总区县工作簿”。"
    ),
    "read-cut": (
        "“{sheet}”表在第 {rows} 行以下还有内容（直到第 {last} 行），按钮只检查了前 {rows} 行；"
        "请删除远处多余的内容，或用 jinguo-xl check 检查整个文件。"
    ),
    "notes-skipped": (
        "{n} 个单元格已有新式批注（会话式批注），按钮没有在上面加批注，只标了颜色；"
        "问题见“{sheet}”表。"
    ),
    "cleared": "已清除 {n} 个单元格的标记，颜色和批注已恢复为校验前的样子。",
    "cleared-none": "没有找到“校验本表”留下的标记，没有做任何修改。",
    "cleared-kept": "其中 {n} 个单元格的颜色或批注在校验后被改动过，已保留改动后的样子。",
    "template-status": (
        "本工作簿是统计表模板：“达标情况”表和各表上方的结论由公式自动计算，按钮没有改动它们"
        "（已重新计算一次）。\n按当前内容判定：{reason}"
    ),
    "status-written": (
        "{reason}\n\n结果已写入“{sheet}”表（计算于 {when}）。修改数据后请重新点击“计算达标”。"
    ),
    "status-title": "达标计算结果（由“计算达标”按钮生成，不随数据自动更新）",
    "status-stamp": "计算于 {when}，修改数据后请重新点击“计算达标”",
    "never-saved": "本工作簿还没有保存到本机。请先保存（Ctrl+S），再点击按钮。",
    "masked-written": "已导出脱敏副本：{name}（按已保存的内容，脱敏 {n} 个单元格）。",
    "folder-empty": "文件夹“{folder}”中没有找到统计表工作簿。",
    "consolidated": "已汇总 {files} 个文件、{bases} 个基地、{rows} 行，汇总表：{name}",
    "consolidated-failed": "\n无法读取 {n} 个文件，原因见汇总表“说明”表。",
    "busy": (
        "Excel 正忙（可能正在编辑某个单元格，或有对话框没有关闭），操作没有进行。"
        "请按 Enter 或 Esc 结束编辑、关闭对话框后，再点击按钮。"
    ),
    "excel-error": (
        "操作没有完成：Excel 报告“{detail}”。\n请检查工作表或工作簿是否受保护、是否正在编辑单元格，"
        "保存后再试；已加上的标记可以用“清除标记”去掉。"
    ),
    "missing-part": (
        "巾帼统计加载项没有找到所需的程序组件（{detail}）。请在项目文件夹中重新运行 "
        "pip install -e .，再重新打开 Excel。"
    ),
    "failed": (
        "操作没有完成：{detail}\n请保存工作簿后重试；如仍失败，请用 jinguo-xl check 检查文件。"
    ),
    "web-book": (
        "本工作簿是从 OneDrive/SharePoint 网址打开的，在本机的 OneDrive 同步文件夹中找不到它。"
        "请用“文件 → 另存为”把它保存到本机文件夹（或等 OneDrive 同步完成）后再点击按钮。"
    ),
}

HELP = (
    "巾帼统计加载项\n\n"
    "校验本表：检查本工作簿的统计表，把有问题的单元格标色，并在批注中写明问题"
    "（原有批注保留，说明加在其后），生成“问题清单”表。标记前的颜色和批注记在隐藏的"
    "“_jinguo_marks”表中。\n"
    "清除标记：按该记录把颜色和批注恢复为校验前的样子，删除“问题清单”表；"
    "校验后您自己改过的颜色和批注保持不变。\n"
    "计算达标：模板中的“达标情况”表由公式自动计算，按钮只重新计算、不改动它；"
    "其他工作簿把结果写入“达标计算结果”表，并注明计算时间。\n"
    "汇总区县工作簿：选择一个文件夹，把其中所有已保存的统计表汇总成一个总表并打开。\n"
    "导出脱敏副本：把已保存的本工作簿另存一份，姓名、电话、住址已脱敏，可对外报送。\n"
    "新建台账：按官方模板新建一个空白统计表并打开。\n\n"
    "受保护的工作表或工作簿：按钮不做任何修改，并提示先撤消哪一项保护。\n"
    "单元格函数：JINGUO_STATUS、JINGUO_CHECK、JINGUO_TOTAL、JINGUO_METRIC、JINGUO_TARGET。\n"
    "没有安装加载项的电脑（包括 WPS）：模板中的合计仍然有效，达标判定请用命令 jinguo-xl check。"
)
