"""The columns both organisation-side imports read, the fields they write, and the
look-ups they share."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy

from sameboat.core.imports import (
    Column,
)
from sameboat.orgs import services
from sameboat.orgs.models import Region

BATCH = 2000
AUDIT_DETAIL_LIMIT = 1000  # codes named in the organisation import's audit event

EMPLOYEE_COLUMNS = (
    Column(
        "employee_no",
        pgettext_lazy("spreadsheet column", "Employee number"),
        True,
        aliases=("工号", "员工编号", "员工号"),
    ),
    Column("name", pgettext_lazy("spreadsheet column", "Name"), True, aliases=("姓名",)),
    Column(
        "name_en",
        pgettext_lazy("spreadsheet column", "Name (English)"),
        aliases=("英文名", "英文姓名", "Name in English"),
    ),
    Column(
        "unit",
        pgettext_lazy("spreadsheet column", "Unit code"),
        True,
        gettext_lazy("Code of the unit the person belongs to; it must be a unit you manage."),
        aliases=("单位代码", "单位编码", "Unit"),
    ),
    Column("title", pgettext_lazy("spreadsheet column", "Job title"), aliases=("职务", "岗位")),
    Column("phone", pgettext_lazy("spreadsheet column", "Phone"), aliases=("电话", "手机", "手机号")),
    Column("email", pgettext_lazy("spreadsheet column", "E-mail"), aliases=("邮箱", "电子邮箱", "电子邮件", "Email")),
    Column(
        "home_region",
        pgettext_lazy("spreadsheet column", "Home region code"),
        help=gettext_lazy("A region code known to Sameboat (see the Regions page)."),
        aliases=("居住地区代码", "常住地区代码", "地区代码"),
    ),
    Column(
        "active",
        pgettext_lazy("spreadsheet column", "On the roster"),
        help=gettext_lazy("yes or no; empty means yes."),
        aliases=("在册", "在职", "是否在册", "Active"),
    ),
)
ORG_COLUMNS = (
    Column("code", pgettext_lazy("spreadsheet column", "Code"), True, aliases=("代码", "编码", "机构代码")),
    Column("name_zh", pgettext_lazy("spreadsheet column", "Chinese name"), True, aliases=("中文名称", "中文名")),
    Column("name_en", pgettext_lazy("spreadsheet column", "English name"), True, aliases=("英文名称", "英文名")),
    Column("kind", pgettext_lazy("spreadsheet column", "Kind"), True, aliases=("类型", "机构类型")),
    Column(
        "parent",
        pgettext_lazy("spreadsheet column", "Parent code"),
        help=gettext_lazy(
            "Code of an organisation you manage, already in Sameboat or on a row above. Empty for an existing "
            "organisation keeps its place; a new tree root needs an administrator."
        ),
        aliases=("上级代码", "上级机构代码"),
    ),
    Column(
        "country",
        pgettext_lazy("spreadsheet column", "Country"),
        help=gettext_lazy("ISO 3166 two-letter code, e.g. CN, LK; empty means CN."),
        aliases=("国家", "国家代码"),
    ),
    Column("region", pgettext_lazy("spreadsheet column", "Region code"), aliases=("地区代码",)),
    Column("address", pgettext_lazy("spreadsheet column", "Address"), aliases=("地址",)),
    Column("contact_email", pgettext_lazy("spreadsheet column", "Contact e-mail"), aliases=("联系邮箱",)),
    Column("contact_phone", pgettext_lazy("spreadsheet column", "Contact phone"), aliases=("联系电话",)),
    Column(
        "active",
        pgettext_lazy("spreadsheet column", "Active"),
        help=gettext_lazy("yes or no; empty means yes."),
        aliases=("启用",),
    ),
)
# What an import may write: the services' field lists less the natural key it matches on
# (employee number, organisation code) and the login link, which no spreadsheet sets.
EMPLOYEE_FIELDS = tuple(f for f in services.EMPLOYEE_FIELDS if f not in ("employee_no", "user_id"))
ORG_FIELDS = tuple(f for f in services.ORG_FIELDS if f != "code")


def _region_codes() -> dict[str, int]:
    return {c.lower(): pk for c, pk in Region.objects.values_list("code", "id")}
