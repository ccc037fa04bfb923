"""What each kind of import expects: its columns, their headers, parsers and meaning.

Headers are accepted in Chinese or English (and a few common variants); matching ignores
case, spaces, a trailing ``*`` and full-width brackets. A column marked ``required`` must be
present and filled on every row; ``header_required`` columns must be present but may be empty
where the notes say so. An optional column left out of the file leaves that field untouched on
existing records; a column that is present but empty clears the field (or sets its default).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govcube.core.imports import parsers as p
from govcube.core.imports.parsers import CellError, is_empty

# The column a corrected error report carries; ignored when a file is imported again.
ERROR_HEADERS = ("错误", "error", "errors")


def normalise_header(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(text.split()).rstrip("*").casefold()


@dataclass(frozen=True)
class Column:
    field: str
    zh: str
    en: str
    parse: p.Parser
    help: str | Promise
    required: bool = False
    header_required: bool = False
    empty: object = None
    example: object = None
    aliases: tuple[str, ...] = ()
    as_text: bool = False  # the template formats the column as text (codes, numbers with leading zeros)

    @property
    def header_must_be_present(self) -> bool:
        return self.required or self.header_required

    @property
    def names(self) -> set[str]:
        return {normalise_header(name) for name in (self.zh, self.en, *self.aliases)}

    @property
    def label(self) -> str:
        return f"{self.zh} ({self.en})"

    def read(self, value: object) -> object:
        """Parse one cell; an empty cell is refused when required, else gives the column's empty value."""
        if is_empty(value):
            if self.required:
                raise CellError(_("This field is required."))
            return self.empty
        return self.parse(value)


@dataclass(frozen=True)
class RowSpec:
    kind: str
    title: str | Promise
    sheet_title: str
    columns: tuple[Column, ...]
    notes: tuple[str | Promise, ...] = ()
    # Service error fields that belong to another column (e.g. the tax service's "amount").
    field_columns: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.field == name)

    def column_for_error_field(self, error_field: str | None) -> Column | None:
        if not error_field:
            return None
        name = self.field_columns.get(error_field, error_field)
        return next((column for column in self.columns if column.field == name), None)


BUILDINGS = RowSpec(
    kind="buildings",
    title=_("Buildings"),
    sheet_title="楼宇",
    columns=(
        Column(
            "code",
            "楼宇编码",
            "Code",
            p.code(40),
            _("The building's territory code; the key: a known code updates that building, a new code adds one."),
            required=True,
            example="JA-NJXL-B001",
            aliases=("Building code", "编码"),
            as_text=True,
        ),
        Column(
            "parent_code",
            "上级节点编码",
            "Parent code",
            p.code(40),
            _("The code of the street or grid the building belongs to. A building cannot be moved by import."),
            required=True,
            example="JA-NJXL",
            aliases=("Parent node code", "上级编码"),
            as_text=True,
        ),
        Column(
            "name",
            "名称",
            "Name",
            p.text(100),
            _("Up to 100 characters."),
            required=True,
            example="示例大厦",
            aliases=("楼宇名称", "Building name"),
        ),
        Column("name_en", "英文名称", "English name", p.text(100), _("Optional."), empty="", example="Example Tower"),
        Column(
            "address",
            "地址",
            "Address",
            p.text(200),
            _("Up to 200 characters."),
            required=True,
            example="南京西路1000号",
        ),
        Column(
            "latitude",
            "纬度",
            "Latitude",
            p.number(max_places=6, minimum=Decimal(-90), maximum=Decimal(90)),
            _("Decimal degrees, up to 6 decimal places."),
            example=31.229,
        ),
        Column(
            "longitude",
            "经度",
            "Longitude",
            p.number(max_places=6, minimum=Decimal(-180), maximum=Decimal(180)),
            _("Decimal degrees, up to 6 decimal places."),
            example=121.455,
        ),
        Column(
            "floors",
            "楼层数",
            "Floors",
            p.whole_number(minimum=0, maximum=300),
            _("A whole number from 0 to 300."),
            example=45,
        ),
        Column(
            "floor_area",
            "建筑面积（平方米）",
            "Floor area (m²)",
            p.number(max_places=2, minimum=Decimal(0)),
            _("Square metres, up to 2 decimal places."),
            example=120000,
            aliases=("建筑面积", "Floor area"),
        ),
        Column(
            "is_key",
            "重点楼宇",
            "Key building",
            p.boolean,
            _("是 or 否 (yes/no, 1/0); empty means no."),
            empty=False,
            example="否",
        ),
        Column(
            "tax_month",
            "税收月份",
            "Tax month",
            p.parse_month,
            _(
                "Optional: a month (YYYY-MM) whose tax revenue this row records; repeat the building on more rows for more months."
            ),
            example="2025-01",
            aliases=("月份", "Month"),
        ),
        Column(
            "tax_amount",
            "税收（元）",
            "Tax revenue (¥)",
            p.number(max_places=2),
            _("The tax revenue of that month in yuan; not negative. Give it together with the tax month."),
            example=8500000,
            aliases=("税收", "Tax revenue", "税收(元)"),
        ),
    ),
    notes=(
        _("One row per building, or per building and tax month."),
        _("Rows of the same building must agree on everything except the tax month and revenue."),
    ),
    field_columns={"amount": "tax_amount", "month": "tax_month", "kind": "parent_code", "node": "code"},
)

ENTERPRISES = RowSpec(
    kind="enterprises",
    title=_("Enterprises"),
    sheet_title="企业",
    columns=(
        Column(
            "uscc",
            "统一社会信用代码",
            "USCC",
            p.uscc,
            _("18 characters with a valid check digit; the key: a known code updates that enterprise."),
            required=True,
            example="91310106123456788Y",
            aliases=("Unified social credit code", "信用代码", "Credit code"),
            as_text=True,
        ),
        Column(
            "name",
            "名称",
            "Name",
            p.text(200),
            _("Up to 200 characters."),
            required=True,
            example="上海示例咨询有限公司",
            aliases=("企业名称", "Enterprise name"),
        ),
        Column(
            "industry",
            "行业代码",
            "Industry code",
            p.code(5),
            _("The GB/T 4754 code of the industry section or division (for example L or 72)."),
            required=True,
            example="L",
            aliases=("行业", "Industry"),
            as_text=True,
        ),
        Column(
            "node_code",
            "所属节点编码",
            "Node code",
            p.code(40),
            _(
                "The territory code (usually the building code) a new enterprise is registered under; required for new enterprises. An existing enterprise's place follows its tenancies, so this column does not move it."
            ),
            header_required=True,
            example="JA-NJXL-B001",
            aliases=("Territory code", "所属楼宇编码"),
            as_text=True,
        ),
        Column(
            "headcount",
            "从业人数",
            "Headcount",
            p.whole_number(minimum=0, maximum=10_000_000),
            _("A whole number; empty means 0."),
            empty=0,
            example=120,
        ),
        Column(
            "party_member_count",
            "党员人数",
            "Party members",
            p.whole_number(minimum=0),
            _("A whole number, not more than the headcount; empty means 0."),
            empty=0,
            example=12,
        ),
        Column(
            "is_global_service_provider",
            "全球服务商",
            "Global service provider",
            p.boolean,
            _("是 or 否; empty means no."),
            empty=False,
            example="否",
        ),
        Column(
            "is_key_enterprise",
            "重点企业",
            "Key enterprise",
            p.boolean,
            _("是 or 否; empty means no."),
            empty=False,
            example="是",
        ),
    ),
    notes=(_("One row per enterprise."),),
    field_columns={"node": "node_code"},
)

TENANCIES = RowSpec(
    kind="tenancies",
    title=_("Tenancies"),
    sheet_title="入驻",
    columns=(
        Column(
            "uscc",
            "统一社会信用代码",
            "USCC",
            p.uscc,
            _("The enterprise (import it first)."),
            required=True,
            example="91310106123456788Y",
            aliases=("Unified social credit code", "信用代码", "Credit code"),
            as_text=True,
        ),
        Column(
            "building_code",
            "楼宇编码",
            "Building code",
            p.code(40),
            _("The building's territory code."),
            required=True,
            example="JA-NJXL-B001",
            aliases=("Building",),
            as_text=True,
        ),
        Column(
            "floor",
            "楼层",
            "Floor",
            p.text(20),
            _("Up to 20 characters, for example 12 or 12-15."),
            empty="",
            example="12",
            as_text=True,
        ),
        Column(
            "start",
            "起始日期",
            "From",
            p.parse_date,
            _("An Excel date or YYYY-MM-DD. Enterprise, building, floor and start date identify a tenancy."),
            required=True,
            example=date(2024, 3, 1),
            aliases=("开始日期", "入驻日期", "Start"),
        ),
        Column(
            "end",
            "终止日期",
            "To",
            p.parse_date,
            _("An Excel date or YYYY-MM-DD, not before the start; empty while the enterprise is still there."),
            example=None,
            aliases=("结束日期", "迁出日期", "End"),
        ),
    ),
    notes=(_("A known tenancy only has its end date changed."),),
    field_columns={"enterprise": "uscc", "building": "building_code"},
)

PEOPLE = RowSpec(
    kind="people",
    title=_("People"),
    sheet_title="人员",
    columns=(
        Column(
            "mobile",
            "手机号",
            "Mobile",
            p.mobile,
            _("11 digits starting with 1; the key: a known number updates that person."),
            required=True,
            example="13800000000",
            aliases=("手机", "手机号码", "Mobile number"),
            as_text=True,
        ),
        Column(
            "name",
            "姓名",
            "Name",
            p.text(50),
            _("Up to 50 characters."),
            required=True,
            example="张三",
            aliases=("名称",),
        ),
        Column(
            "node_code",
            "所属节点编码",
            "Node code",
            p.code(40),
            _(
                "The territory code (usually the building code) a new person is registered under; required for new people and not used to move existing ones."
            ),
            header_required=True,
            example="JA-NJXL-B001",
            aliases=("Territory code", "所属楼宇编码"),
            as_text=True,
        ),
        Column(
            "email", "邮箱", "Email", p.text(254), _("Optional."), empty="", example="", aliases=("电子邮箱", "E-mail")
        ),
        Column(
            "employer",
            "工作单位统一社会信用代码",
            "Employer USCC",
            p.uscc,
            _("Optional: the credit code of the employer (import it first)."),
            example="91310106123456788Y",
            aliases=("工作单位信用代码", "Employer"),
            as_text=True,
        ),
        Column(
            "is_party_member",
            "党员",
            "Party member",
            p.boolean,
            _("是 or 否; empty means no."),
            empty=False,
            example="否",
            aliases=("是否党员",),
        ),
    ),
    notes=(_("One row per person."),),
    field_columns={"node": "node_code"},
)

SPECS: dict[str, RowSpec] = {spec.kind: spec for spec in (BUILDINGS, ENTERPRISES, TENANCIES, PEOPLE)}
