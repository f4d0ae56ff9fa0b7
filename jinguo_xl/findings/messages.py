"""Every Chinese sentence a finding shows, keyed by its stable code.

Each message tells the clerk what to change. Placeholders are filled from the finding's own
fields (``{column}``, ``{detail}`` …); messages never quote a phone number or an address, so a
findings list can be mailed without leaking personal data.
"""

from __future__ import annotations

# code → (severity, message template)
FINDINGS: dict[str, tuple[str, str]] = {
    # --- the file and its base information
    "base-name-missing": ("error", "未填写带动基地名称，请在“带动基地名称”后填写单位全称"),
    "base-type-missing": (
        "error",
        "未填写创建基地类型，请填写巾帼脱贫基地、巾帼扶贫车间或巾帼扶贫家庭工坊",
    ),
    "base-type-invalid": (
        "error",
        "创建基地类型“{detail}”不是通知规定的类型，请改为巾帼脱贫基地、巾帼扶贫车间或巾帼扶贫家庭工坊",
    ),
    "base-type-alias": ("warning", "创建基地类型“{detail}”已按“{value}”计，建议写全称"),
    "leader-missing": ("warning", "未填写基地负责人姓名，请补填"),
    "base-field-conflict": (
        "warning",
        "“{column}”在工作簿中出现了不同的值（{detail}），已采用第一处，请统一",
    ),
    "county-unknown": (
        "warning",
        "无法确定所属区县（未填写“所属区县”，文件夹名也不是区县名），按“未知区县”统计，请补填所属区县",
    ),
    "county-from-folder": ("info", "未填写所属区县，已按文件夹名计为“{value}”"),
    "county-outside-scope": (
        "warning",
        "所属区县“{detail}”不在全市14个国家扶贫工作重点区县之内，请核实",
    ),
    "township-ambiguous": (
        "warning",
        "所在乡镇“{detail}”在本区县有多个可能，请写全称（含乡、镇或街道）",
    ),
    "industry-invalid": (
        "error",
        "帮扶产业“{detail}”不是六类产业之一，请改为手工制作、家政服务、农村电商、乡村旅游、种植养殖或加工制造",
    ),
    "industry-not-allowed": (
        "error",
        "{detail}不能填报“{value}”表：该类型可选的产业为{allowed}。请核对创建基地类型或改填正确的表",
    ),
    "industry-mismatch": (
        "warning",
        "基本信息中的帮扶产业为“{detail}”，但填写的是“{value}”表，请核对",
    ),
    "households-invalid": ("error", "帮扶户数“{detail}”不是正整数，请填写户数（如 3）"),
    "households-implausible": (
        "error",
        "帮扶户数超过 {value} 户，不是合理的户数，未采用；请填写实际帮扶的户数（如 3）",
    ),
    "households-understated": (
        "warning",
        "填报的帮扶户数 {value} 户少于表中贫困妇女的不同家庭住址数 {detail} 户，目标值可能被低估，请核对",
    ),
    "households-derived": ("info", "未填写帮扶户数，已按表中贫困妇女的不同家庭住址计为 {value} 户"),
    "households-not-workshop": ("info", "帮扶户数只用于巾帼扶贫家庭工坊的目标，本基地不按户累加"),
    "year-invalid": ("warning", "统计年度“{detail}”无法识别，按 {value} 年统计"),
    "year-mismatch": (
        "warning",
        "统计年度为 {detail} 年，但本工具按 {value} 年通知的规则统计，请核对",
    ),
    "fill-date-invalid": ("warning", "填报日期“{detail}”不是日期，请写成 2020-09-01 这样的格式"),
    "no-tables": ("warning", "工作簿中没有找到任何已填写的带动统计表（未填报）"),
    "base-sent-twice": ("warning", "基地“{value}”重复报送：读自“{origin}”的这一份未计入汇总，以读自“{detail}”的一份为准（填报日期较晚，或文件较新），请核对"),
    "master-masked": ("error", "这是脱敏后的汇总表，姓名和电话已隐去，不能再次汇总；请提交未脱敏的汇总表"),
    # --- tables and headers
    "table-industry-unknown": (
        "error",
        "此表有 {value} 行数据，但无法判断属于哪类产业{detail}，请在表头上方写明“××带动统计表：”，"
        "或在基本信息中填写“帮扶产业”，或把工作表命名为产业名；在此之前本表不计入目标",
    ),
    "column-missing": ("error", "“{value}”表缺少必填列“{column}”，请按样表补上该列"),
    "column-optional-missing": ("warning", "“{value}”表没有“{column}”列：{detail}"),
    "column-duplicate": ("warning", "表头“{column}”出现了两次，只读取第一列，请删除重复的列"),
    "table-duplicate": (
        "warning",
        "“{value}”表在工作簿中出现了不止一次，各处的行都已读取，请核对是否重复录入",
    ),
    "legend-rows-skipped": (
        "info",
        "已跳过样表自带的妇女类型说明行 {value} 行（{detail}），这些行不是数据",
    ),
    "total-row-skipped": ("info", "已跳过合计行，合计由本工具重新计算"),
    "seq-only-rows-skipped": ("info", "已跳过只有序号、没有其他内容的空行 {value} 行"),
    "merged-filled": (
        "info",
        "“{column}”在第 {detail} 行是合并单元格，已按每一行都填写了“{value}”计算",
    ),
    "merged-money": (
        "warning",
        "“{column}”在第 {detail} 行是合并单元格，金额只计入第一行；"
        "如果是每人各自的金额，请拆分单元格后逐行填写",
    ),
    "formula-no-value": ("error", "此格是公式但没有计算结果，请在 Excel 中打开、保存后再提交，或直接填写数值"),
    # --- row checks (spec §7)
    "name-missing": ("error", "缺少带动妇女姓名，请补填"),
    "value-missing": ("error", "缺少“{column}”，请补填"),
    "name-invalid": ("error", "带动妇女姓名不符合要求：{detail}"),
    "address-missing": ("error", "缺少家庭住址，请补填（写到村、组）"),
    "phone-missing": ("error", "缺少联系电话，请补填11位手机号或带区号的座机号"),
    "phone-invalid": (
        "error",
        "联系电话无效：{detail}，请改为11位手机号或带区号的座机号（如 023-12345678）",
    ),
    "phone-no-area-code": ("warning", "联系电话没有区号，已按重庆座机（023）计，请补上区号"),
    "phone-multiple": ("warning", "一格中填了多个电话，只采用第一个，请只留一个"),
    "date-invalid": ("error", "培训时间无法识别：{detail}"),
    "date-range": ("info", "培训时间是一段日期（{detail}），按第一天计"),
    "date-serial": ("info", "培训时间是日期序号，已按 {detail} 计，请把单元格格式设为日期"),
    "date-outside-year": ("warning", "培训时间 {detail} 不在统计年度 {value} 年内，请核对"),
    "training-content-missing": ("error", "填了培训时间但没有填培训内容，请补填培训内容"),
    "training-date-missing": ("error", "填了培训内容但没有填培训时间，请补填培训时间"),
    "money-invalid": ("error", "“{column}”应为以万元计的数字：{detail}"),
    "money-negative": ("error", "“{column}”不能为负数，请改正"),
    "money-converted": ("warning", "“{column}”{detail}，请直接填写以万元计的数字"),
    "money-as-text": ("warning", "“{column}”是文本格式的数字，已按数字计入，但 Excel 的合计不会计入它，请改为数字格式后重新输入"),
    "money-suspect-yuan": (
        "error",
        "“{column}”为 {detail} 万元，单行超过 {value} 万元，疑似以元填写，未计入合计和目标；"
        "请改为以万元计的金额（1万元请填 1）",
    ),
    "money-phone-like": (
        "error",
        "“{column}”填的像是电话号码，不是金额，未计入合计和目标；"
        "请改为以万元计的金额，电话请填在“联系电话”列",
    ),
    "yesno-invalid": ("error", "“{column}”只能填“是”或“否”：{detail}"),
    "yesno-converted": ("warning", "“{column}”{detail}，请直接填写“是”或“否”"),
    "women-type-missing": (
        "error",
        "缺少妇女类型，请填写未脱贫妇女、贫困妇女、留守妇女或普通妇女；此行暂不计入目标",
    ),
    "women-type-invalid": ("error", "妇女类型无法识别：{detail}；此行暂不计入目标"),
    "women-type-alias": ("warning", "妇女类型{detail}，请改为规范写法"),
    "row-duplicate": (
        "warning",
        "与第 {value} 行的姓名、电话、培训时间和培训内容完全相同，疑似重复录入，请核对",
    ),
    "int-invalid": ("warning", "“{column}”应为整数：{detail}"),
}

SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}

# Status words and the text around figures, shared by the CLI, cells and the master.
STATUS_MET = "达标"
STATUS_BASIC = "基本达标"
STATUS_NOT_MET = "未达标"
STATUS_EMPTY = "未填报"
STATUS_UNDECIDED = "无法判定"
UNKNOWN_COUNTY = "未知区县"
