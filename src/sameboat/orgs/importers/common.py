"""The columns both organisation-side imports read, the fields they write, and the
look-ups they share."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from sameboat.core.imports import (
    Column,
)
from sameboat.orgs import services
from sameboat.orgs.models import Region

BATCH = 2000
AUDIT_DETAIL_LIMIT = 1000  # codes named in the organisation import's audit event

EMPLOYEE_COLUMNS = (
    Column("employee_no", gettext_lazy("Employee number"), True, aliases=("工号", "员工编号", "员工号")),
    Column("name", gettext_lazy("Name"), True, aliases=("姓名",)),
    Column("name_en", gettext_lazy("Name (English)"), aliases=("英文名", "英文姓名", "Name in English")),
    Column(
        "unit",
        gettext_lazy("Unit code"),
        True,
        gettext_lazy("Code of the unit the person belongs to; it must be a unit you manage."),
        aliases=("单位代码", "单位编码", "Unit"),
    ),
    Column("title", gettext_lazy("Job title"), aliases=("职务", "岗位")),
    Column("phone", gettext_lazy("Phone"), aliases=("电话", "手机", "手机号")),
    Column("email", gettext_lazy("E-mail"), aliases=("邮箱", "电子邮箱", "电子邮件", "Email")),
    Column(
        "home_region",
        gettext_lazy("Home region code"),
        help=gettext_lazy("A region code known to Sameboat (see the Regions page)."),
        aliases=("居住地区代码", "常住地区代码", "地区代码"),
    ),
    Column(
        "active",
        gettext_lazy("On the roster"),
        help=gettext_lazy("yes or no; empty means yes."),
        aliases=("在册", "在职", "是否在册", "Active"),
    ),
)
ORG_COLUMNS = (
    Column("code", gettext_lazy("Code"), True, aliases=("代码", "编码", "机构代码")),
    Column("name_zh", gettext_lazy("Chinese name"), True, aliases=("中文名称", "中文名")),
    Column("name_en", gettext_lazy("English name"), True, aliases=("英文名称", "英文名")),
    Column("kind", gettext_lazy("Kind"), True, aliases=("类型", "机构类型")),
    Column(
        "parent",
        gettext_lazy("Parent code"),
        help=gettext_lazy(
            "Code of an organisation you manage, already in Sameboat or on a row above. Empty for an existing "
            "organisation keeps its place; a new tree root needs an administrator."
        ),
        aliases=("上级代码", "上级机构代码"),
    ),
    Column(
        "country",
        gettext_lazy("Country"),
        help=gettext_lazy("ISO 3166 two-letter code, e.g. CN, LK; empty means CN."),
        aliases=("国家", "国家代码"),
    ),
    Column("region", gettext_lazy("Region code"), aliases=("地区代码",)),
    Column("address", gettext_lazy("Address"), aliases=("地址",)),
    Column("contact_email", gettext_lazy("Contact e-mail"), aliases=("联系邮箱",)),
    Column("contact_phone", gettext_lazy("Contact phone"), aliases=("联系电话",)),
    Column("active", gettext_lazy("Active"), help=gettext_lazy("yes or no; empty means yes."), aliases=("启用",)),
)
# What an import may write: the services' field lists less the natural key it matches on
# (employee number, organisation code) and the login link, which no spreadsheet sets.
EMPLOYEE_FIELDS = tuple(f for f in services.EMPLOYEE_FIELDS if f not in ("employee_no", "user_id"))
ORG_FIELDS = tuple(f for f in services.ORG_FIELDS if f != "code")


def _region_codes() -> dict[str, int]:
    return {c.lower(): pk for c, pk in Region.objects.values_list("code", "id")}
