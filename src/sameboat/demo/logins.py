"""The demo logins: one per role, all with the same password, printed at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from sameboat.accounts.roles import Role

DEMO_PASSWORD = "sameboat-demo"  # noqa: S105 - a published demo password, not a secret


@dataclass(frozen=True)
class LoginSpec:
    """A demo login: the role it holds on which organisation, and its invented owner."""

    username: str
    role: str  # a Role value, or "" for the superuser
    org_code: str  # "" for the superuser
    display_name: str
    # Link the login to a person on that organisation's roster (not a leadership seat).
    on_roster: bool = False
    superuser: bool = False


LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec("admin", "", "", "系统管理员 Administrator", superuser=True),
    LoginSpec("hq", Role.HQ_COMMANDER, "TZET", "集团防控指挥部 HQ command"),
    LoginSpec("officer", Role.UNIT_OFFICER, "TZ02-U1", "", on_roster=True),
    LoginSpec("manager", Role.UNIT_MANAGER, "TZ02", "通信公司经理 Unit manager"),
    LoginSpec("supplies", Role.SUPPLIES_OFFICER, "TZHOPE", "物资专员 Supplies officer"),
    LoginSpec("logistics", Role.LOGISTICS_OFFICER, "TZINTL", "物流专员 Logistics officer"),
    LoginSpec("desk", Role.DESK_AGENT, "ALLIANCE", "联盟服务台 Alliance desk"),
    LoginSpec("member", Role.ALLIANCE_MEMBER, "AS-CEC-01", "会员企业联络人 Member contact"),
    LoginSpec("viewer", Role.VIEWER, "TZ03", "观察员 Viewer"),
    LoginSpec("employee", Role.EMPLOYEE, "TZ02-U1", "", on_roster=True),
)


def role_label(spec: LoginSpec) -> str:
    """The role as a person reads it (the superuser has no membership)."""
    if spec.superuser:
        return "Administrator (superuser)"
    return str(Role(spec.role).label)


def logins_table() -> str:
    """The logins as an aligned text table; reads no database, so it is instant."""
    from sameboat.demo.world import org_names  # the data modules: plain constants

    names = org_names()
    rows = [("username", "role", "organisation", "password")]
    for spec in LOGINS:
        org = names.get(spec.org_code, ("", "(all)"))[1]
        rows.append((spec.username, role_label(spec), org, DEMO_PASSWORD))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "    " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3] for row in rows
    ]
    return "\n".join(lines)
