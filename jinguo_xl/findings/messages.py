"""Every Chinese sentence a finding shows, and the stable codes that name them.

Each message tells the clerk what to change. Placeholders are filled from the finding's own
fields (``{column}``, ``{detail}`` …); messages never quote a phone number or an address, so a
findings list can be mailed without leaking personal data.

A code is a member of :class:`Code`, never a bare string: a misspelt code fails where it is
written (an ``AttributeError`` at import or first use), not in a clerk's report. Its value is
the kebab-case code the JSON and the master's 问题清单 show, so those outputs never change with
the spelling of a Python name.
"""

from __future__ import annotations

from enum import Enum, StrEnum


class Severity(StrEnum):
    """How much a finding matters, most important first; compares in that order.

    The value (``"error"`` …) is what the JSON shows; :attr:`label` is what the clerk reads.
    Sorting findings by severity puts errors first, then warnings, then hints.
    """

    label: str

    def __new__(cls, value: str, label: str) -> Severity:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    ERROR = "error", "错误"
    WARNING = "warning", "警告"
    INFO = "info", "提示"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return _RANK[self] < _RANK[other]

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return _RANK[self] <= _RANK[other]

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return _RANK[self] > _RANK[other]

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return _RANK[self] >= _RANK[other]


_RANK = {severity: rank for rank, severity in enumerate(Severity)}


class Scope(Enum):
    """What a finding is about, which decides whether it names a row of a sheet.

    A finding about what a sheet holds (a data row, a header, a merged block, a value typed in
    two cells) gives its Excel row, so the row's note in the open workbook and the master's
    问题 column can carry it. A finding about the base's information or the base as a whole
    points at the cell to correct, but belongs to no row.
    """

    SHEET = "sheet"
    BASE = "base"


class Code(StrEnum):
    """A finding's stable code, with its severity, its scope and its message template."""

    severity: Severity
    scope: Scope
    template: str

    def __new__(cls, value: str, severity: Severity, scope: Scope, template: str) -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        member.scope = scope
        member.template = template
        return member

    @classmethod
    def lookup(cls, text: object) -> Code | None:
        """The code spelt ``text`` (as a master's 问题清单 lists it), or None if there is none."""
        return cls._value2member_map_.get(str(text))  # type: ignore[return-value]

    # --- the file and its base information
    BASE_NAME_MISSING = "base-name-missing", Severity.ERROR, Scope.BASE, "未填写带动基地名称，请在“带动基地名称”后填写单位全称"
    BASE_TYPE_MISSING = "base-type-missing", Severity.ERROR, Scope.BASE, "未填写创建基地类型，请填写巾帼脱贫基地、巾帼扶贫车间或巾帼扶贫家庭工坊"
    BASE_TYPE_INVALID = "base-type-invalid", Severity.ERROR, Scope.BASE, "创建基地类型“{detail}”不是通知规定的类型，请改为巾帼脱贫基地、巾帼扶贫车间或巾帼扶贫家庭工坊"
    BASE_TYPE_ALIAS = "base-type-alias", Severity.WARNING, Scope.BASE, "创建基地类型“{detail}”已按“{value}”计，建议写全称"
    LEADER_MISSING = "leader-missing", Severity.WARNING, Scope.BASE, "未填写基地负责人姓名，请补填"
    BASE_FIELD_CONFLICT = "base-field-conflict", Severity.WARNING, Scope.SHEET, "“{column}”在工作簿中出现了不同的值（{detail}），已采用第一处，请统一"
    COUNTY_UNKNOWN = "county-unknown", Severity.WARNING, Scope.BASE, "无法确定所属区县（未填写“所属区县”，文件夹名也不是区县名），按“未知区县”统计，请补填所属区县"
    COUNTY_FROM_FOLDER = "county-from-folder", Severity.INFO, Scope.BASE, "未填写所属区县，已按文件夹名计为“{value}”"
    COUNTY_OUTSIDE_SCOPE = "county-outside-scope", Severity.WARNING, Scope.BASE, "所属区县“{detail}”不在全市14个国家扶贫工作重点区县之内，请核实"
    TOWNSHIP_AMBIGUOUS = "township-ambiguous", Severity.WARNING, Scope.BASE, "所在乡镇“{detail}”在本区县有多个可能，请写全称（含乡、镇或街道）"
    INDUSTRY_INVALID = "industry-invalid", Severity.ERROR, Scope.BASE, "帮扶产业“{detail}”不是六类产业之一，请改为手工制作、家政服务、农村电商、乡村旅游、种植养殖或加工制造"
    INDUSTRY_NOT_ALLOWED = "industry-not-allowed", Severity.ERROR, Scope.BASE, "{detail}不能填报“{value}”表：该类型可选的产业为{allowed}。请核对创建基地类型或改填正确的表"
    INDUSTRY_MISMATCH = "industry-mismatch", Severity.WARNING, Scope.BASE, "基本信息中的帮扶产业为“{detail}”，但填写的是“{value}”表，请核对"
    HOUSEHOLDS_INVALID = "households-invalid", Severity.ERROR, Scope.BASE, "帮扶户数“{detail}”不是正整数，请填写户数（如 3）"
    HOUSEHOLDS_IMPLAUSIBLE = "households-implausible", Severity.ERROR, Scope.BASE, "帮扶户数超过 {value} 户，不是合理的户数，未采用；请填写实际帮扶的户数（如 3）"
    HOUSEHOLDS_UNDERSTATED = "households-understated", Severity.WARNING, Scope.BASE, "填报的帮扶户数 {value} 户少于表中贫困妇女的不同家庭住址数 {detail} 户，目标值可能被低估，请核对"
    HOUSEHOLDS_DERIVED = "households-derived", Severity.INFO, Scope.BASE, "未填写帮扶户数，已按表中贫困妇女的不同家庭住址计为 {value} 户"
    HOUSEHOLDS_NOT_WORKSHOP = "households-not-workshop", Severity.INFO, Scope.BASE, "帮扶户数只用于巾帼扶贫家庭工坊的目标，本基地不按户累加"
    YEAR_INVALID = "year-invalid", Severity.WARNING, Scope.BASE, "统计年度“{detail}”无法识别，按 {value} 年统计"
    YEAR_MISMATCH = "year-mismatch", Severity.WARNING, Scope.BASE, "统计年度为 {detail} 年，但本工具按 {value} 年通知的规则统计，请核对"
    FILL_DATE_INVALID = "fill-date-invalid", Severity.WARNING, Scope.BASE, "填报日期“{detail}”不是日期，请写成 2020-09-01 这样的格式"
    NO_TABLES = "no-tables", Severity.WARNING, Scope.BASE, "工作簿中没有找到任何已填写的带动统计表（未填报）"
    BASE_SENT_TWICE = "base-sent-twice", Severity.WARNING, Scope.BASE, "基地“{value}”重复报送：读自“{origin}”的这一份未计入汇总，以读自“{detail}”的一份为准{reason}，请核对"
    SAME_FILE = "same-file", Severity.INFO, Scope.BASE, "与“{detail}”是同一个文件（内容完全相同），只计一次"
    SAME_IN_MASTER = "same-in-master", Severity.INFO, Scope.BASE, "汇总表中的 {value} 个基地与直接提交的原始文件完全相同（{detail}），只计一次"
    COUNTY_FROM_MASTER = "county-from-master", Severity.INFO, Scope.BASE, "未填写所属区县，也不在区县文件夹中；同一文件在汇总表“{detail}”中属于“{value}”，按该区县计"
    COUNTY_FROM_BASE = "county-from-base", Severity.WARNING, Scope.BASE, "未填写所属区县，也不在区县文件夹中；名称{detail}与“{value}”的基地相同，按同一基地计（重复报送规则适用），请补填所属区县"
    MASTER_ROW_NO_SOURCE = "master-row-no-source", Severity.ERROR, Scope.SHEET, "汇总表的这一行没有对应的来源（{detail}），疑似手工添加，未计入；请把这些数据填入基地的统计表，连同原汇总表一起重新汇总"
    MASTER_MASKED = "master-masked", Severity.ERROR, Scope.BASE, "这是脱敏后的汇总表，姓名和电话已隐去，不能再次汇总；请提交未脱敏的汇总表"

    # --- tables and headers
    TABLE_INDUSTRY_UNKNOWN = "table-industry-unknown", Severity.ERROR, Scope.SHEET, "此表有 {value} 行数据，但无法判断属于哪类产业{detail}，请在表头上方写明“××带动统计表：”，或在基本信息中填写“帮扶产业”，或把工作表命名为产业名；在此之前本表不计入目标"
    COLUMN_MISSING = "column-missing", Severity.ERROR, Scope.SHEET, "“{value}”表缺少必填列“{column}”，请按样表补上该列"
    COLUMN_OPTIONAL_MISSING = "column-optional-missing", Severity.WARNING, Scope.SHEET, "“{value}”表没有“{column}”列：{detail}"
    COLUMN_DUPLICATE = "column-duplicate", Severity.WARNING, Scope.SHEET, "表头“{column}”出现了两次，只读取第一列，请删除重复的列"
    TABLE_NO_BASE = "table-no-base", Severity.ERROR, Scope.SHEET, "此表有 {value} 行数据，但工作簿中有多个基地（{detail}），此表所在的工作表没有写明带动基地名称，无法确定属于哪一个，本表不计入；请在表的上方写明“带动基地名称：…”，或把每个基地分成单独的工作簿"
    HEADERLESS_DATA = "headerless-data", Severity.ERROR, Scope.SHEET, "第 {detail} 行起有 {value} 行数据，但找不到表头（带动妇女姓名、家庭住址、联系电话……），这些行没有读取；请按样表恢复表头后重新提交"
    HIDDEN_SHEET_READ = "hidden-sheet-read", Severity.WARNING, Scope.SHEET, "工作表“{detail}”是隐藏的，其中 {value} 行数据已读取并计入；如果是备份或草稿，请删除该工作表后重新提交"
    HIDDEN_ROWS_READ = "hidden-rows-read", Severity.INFO, Scope.SHEET, "此表有 {value} 行被隐藏或被筛选掉，它们同样已读取并计入（筛选只是视图）；如果不应计入，请删除这些行"
    TABLE_DUPLICATE = "table-duplicate", Severity.WARNING, Scope.SHEET, "“{value}”表在工作簿中出现了不止一次，各处的行都已读取，请核对是否重复录入"
    LEGEND_ROWS_SKIPPED = "legend-rows-skipped", Severity.INFO, Scope.SHEET, "已跳过样表自带的妇女类型说明行 {value} 行（{detail}），这些行不是数据"
    TOTAL_ROW_SKIPPED = "total-row-skipped", Severity.INFO, Scope.SHEET, "已跳过合计行，合计由本工具重新计算"
    SEQ_ONLY_ROWS_SKIPPED = "seq-only-rows-skipped", Severity.INFO, Scope.SHEET, "已跳过只有序号、没有其他内容的空行 {value} 行"
    MERGED_FILLED = "merged-filled", Severity.INFO, Scope.SHEET, "“{column}”在第 {detail} 行是合并单元格，已按每一行都填写了“{value}”计算"
    MERGED_MONEY = "merged-money", Severity.WARNING, Scope.SHEET, "“{column}”在第 {detail} 行是合并单元格，金额只计入第一行；如果是每人各自的金额，请拆分单元格后逐行填写"
    VERDICT_TYPED_OVER = "verdict-typed-over", Severity.ERROR, Scope.BASE, "模板的达标结论格“{detail}”应由表格公式计算，现在是手工填写的内容（或已被清空），表格中显示的结论不可信；本工具的结论按数据重新计算。请撤销这一修改，或把数据复制到新的模板中"
    FORMULA_NO_VALUE = "formula-no-value", Severity.ERROR, Scope.SHEET, "此格是公式但没有计算结果，请在 Excel 中打开、保存后再提交，或直接填写数值"

    # --- row checks (spec §7)
    NAME_MISSING = "name-missing", Severity.ERROR, Scope.SHEET, "缺少带动妇女姓名，请补填"
    VALUE_MISSING = "value-missing", Severity.ERROR, Scope.SHEET, "缺少“{column}”，请补填"
    NAME_INVALID = "name-invalid", Severity.ERROR, Scope.SHEET, "带动妇女姓名不符合要求：{detail}"
    ADDRESS_MISSING = "address-missing", Severity.ERROR, Scope.SHEET, "缺少家庭住址，请补填（写到村、组）"
    PHONE_MISSING = "phone-missing", Severity.ERROR, Scope.SHEET, "缺少联系电话，请补填11位手机号或带区号的座机号"
    PHONE_INVALID = "phone-invalid", Severity.ERROR, Scope.SHEET, "联系电话无效：{detail}，请改为11位手机号或带区号的座机号（如 023-12345678）"
    PHONE_NO_AREA_CODE = "phone-no-area-code", Severity.WARNING, Scope.SHEET, "联系电话没有区号，已按重庆座机（023）计，请补上区号"
    PHONE_MULTIPLE = "phone-multiple", Severity.WARNING, Scope.SHEET, "一格中填了多个电话，只采用第一个，请只留一个"
    DATE_INVALID = "date-invalid", Severity.ERROR, Scope.SHEET, "培训时间无法识别：{detail}"
    DATE_RANGE = "date-range", Severity.INFO, Scope.SHEET, "培训时间是一段日期（{detail}），按第一天计"
    DATE_SERIAL = "date-serial", Severity.INFO, Scope.SHEET, "培训时间是日期序号，已按 {detail} 计，请把单元格格式设为日期"
    DATE_OUTSIDE_YEAR = "date-outside-year", Severity.WARNING, Scope.SHEET, "培训时间 {detail} 不在统计年度 {value} 年内，请核对"
    TRAINING_CONTENT_MISSING = "training-content-missing", Severity.ERROR, Scope.SHEET, "填了培训时间但没有填培训内容，请补填培训内容"
    TRAINING_DATE_MISSING = "training-date-missing", Severity.ERROR, Scope.SHEET, "填了培训内容但没有填培训时间，请补填培训时间"
    MONEY_INVALID = "money-invalid", Severity.ERROR, Scope.SHEET, "“{column}”应为以万元计的数字：{detail}"
    MONEY_NEGATIVE = "money-negative", Severity.ERROR, Scope.SHEET, "“{column}”不能为负数，请改正"
    MONEY_CONVERTED = "money-converted", Severity.WARNING, Scope.SHEET, "“{column}”{detail}，请直接填写以万元计的数字"
    MONEY_AS_TEXT = "money-as-text", Severity.WARNING, Scope.SHEET, "“{column}”是文本格式的数字，已按数字计入，但 Excel 的合计不会计入它，请改为数字格式后重新输入"
    MONEY_SUSPECT_YUAN = "money-suspect-yuan", Severity.ERROR, Scope.SHEET, "“{column}”为 {detail} 万元，单行超过 {value} 万元，疑似以元填写，未计入合计和目标；请改为以万元计的金额（1万元请填 1）"
    MONEY_PHONE_LIKE = "money-phone-like", Severity.ERROR, Scope.SHEET, "“{column}”填的像是电话号码，不是金额，未计入合计和目标；请改为以万元计的金额，电话请填在“联系电话”列"
    YESNO_INVALID = "yesno-invalid", Severity.ERROR, Scope.SHEET, "“{column}”只能填“是”或“否”：{detail}"
    YESNO_CONVERTED = "yesno-converted", Severity.WARNING, Scope.SHEET, "“{column}”{detail}，请直接填写“是”或“否”"
    WOMEN_TYPE_MISSING = "women-type-missing", Severity.ERROR, Scope.SHEET, "缺少妇女类型，请填写未脱贫妇女、贫困妇女、留守妇女或普通妇女；此行暂不计入目标"
    WOMEN_TYPE_INVALID = "women-type-invalid", Severity.ERROR, Scope.SHEET, "妇女类型无法识别：{detail}；此行暂不计入目标"
    WOMEN_TYPE_ALIAS = "women-type-alias", Severity.WARNING, Scope.SHEET, "妇女类型{detail}，请改为规范写法"
    ROW_DUPLICATE = "row-duplicate", Severity.WARNING, Scope.SHEET, "与{value}的姓名、电话、培训时间和培训内容完全相同，疑似重复录入，只计一次；请删除重复的行"
    INT_INVALID = "int-invalid", Severity.WARNING, Scope.SHEET, "“{column}”应为整数：{detail}"


# Status words and the text around figures, shared by the CLI, cells and the master.
STATUS_MET = "达标"
STATUS_BASIC = "基本达标"
STATUS_NOT_MET = "未达标"
STATUS_EMPTY = "未填报"
STATUS_UNDECIDED = "无法判定"
UNKNOWN_COUNTY = "未知区县"
