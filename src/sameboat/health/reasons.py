"""Why someone is followed up, stored as codes and values and put in words when read.

A case's reasons (and a note the system adds when a new signal arrives) are written by a
check-in, in whatever language the person who filed it (or the worker of an upload) had;
stored as text, a Chinese officer would read "symptoms reported". So they are stored as
``[{"code": "fever", "t": "37.6"}, {"code": "symptoms"}]`` and said in the reader's language.
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.utils import formats
from django.utils.translation import gettext, gettext_noop

from sameboat.core.notify import phrase

# The code of each reason and its words (also the phrases notifications carry).
FEVER = gettext_noop("temperature %(t)s °C")
SYMPTOMS = gettext_noop("symptoms reported")
CONTACT = gettext_noop("contact with a case")
ARRIVED = gettext_noop("Arrived from %(region)s (%(risk)s) on or before %(day)s")
REASONS = {"fever": FEVER, "symptoms": SYMPTOMS, "contact": CONTACT, "arrival": ARRIVED}
NOTE = gettext_noop("%(day)s: %(reason)s")


def checkin_reasons(checkin: Any) -> list[dict[str, Any]]:
    """The reasons a check-in gives to follow the person up, as codes and values."""
    reasons: list[dict[str, Any]] = []
    if checkin.has_fever:
        reasons.append({"code": "fever", "t": str(checkin.temperature)})
    if checkin.symptoms:
        reasons.append({"code": "symptoms"})
    if checkin.contact:
        reasons.append({"code": "contact"})
    return reasons


def as_phrases(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reasons as notification phrases (translated when the message is read)."""
    return [phrase(REASONS[r["code"]], **{k: v for k, v in r.items() if k != "code"}) for r in reasons]


def _one(reason: dict[str, Any]) -> str:
    msgid = REASONS.get(str(reason.get("code")))
    if msgid is None:
        return str(reason.get("code", ""))
    args = {k: v for k, v in reason.items() if k != "code"}
    if reason.get("code") == "arrival":
        args = _arrival(args)
    if "t" in args:
        with contextlib.suppress(TypeError, ValueError):
            args["t"] = formats.number_format(float(args["t"]), 1)
    text = gettext(msgid)
    return text % args if args else text


def arrival(*, region: Any, risk: str, day: datetime.date) -> dict[str, Any]:
    """An arrival from a higher-risk region: the region by its code, the risk by its code."""
    return {"code": "arrival", "region": region.code, "risk": risk, "day": day.isoformat()}


def _arrival(args: dict[str, Any]) -> dict[str, Any]:
    from sameboat.core.i18n import pick
    from sameboat.orgs.models import RiskLevel
    from sameboat.orgs.selectors import region_by_code

    # Regions are public reference data, read from the per-process cache (no query a row).
    region = region_by_code(str(args.get("region", "")))
    risk = str(args.get("risk", ""))
    return {
        "region": pick(region.name_zh, region.name_en) if region else args.get("region", ""),
        "risk": str(RiskLevel(risk).label) if risk in RiskLevel.values else risk,
        "day": _date(args.get("day", "")),
    }


def _date(value: Any) -> Any:
    with contextlib.suppress(ValueError):
        return formats.date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
    return value


def reasons_text(reasons: list[dict[str, Any]] | None) -> str:
    """The reasons in the active language, joined."""
    return gettext("; ").join(_one(r) for r in reasons or [] if isinstance(r, dict))


def note_text(params: dict[str, Any]) -> str:
    """A note the system added for a new signal: its day and reasons, in the active language."""
    return gettext(NOTE) % {"day": _date(params.get("day", "")), "reason": reasons_text(params.get("reasons"))}
