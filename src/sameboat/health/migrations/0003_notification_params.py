"""Health's notifications keep references instead of the sender's text (see core 0007).

What can be found again becomes a reference read in the reader's language and scope: the
unit (the row's organisation), the person (the case the link points at, or the one roster
entry of that name in the unit). A reason was written as text and stays text; a value that
cannot be found again keeps its stored text.
"""

import re

from django.db import migrations

CASE_URL = re.compile(r"/followup/([0-9]{1,18})/")


def _unit(row, context):
    if row.organization_id:
        return {"ref": "orgs.organization", "id": row.organization_id}
    return context.get("unit", "")


def _person(row, context, FollowUpCase, Employee):
    found = CASE_URL.search(row.url or "")
    if found:
        employee_id = FollowUpCase.objects.filter(pk=int(found.group(1))).values_list("employee_id", flat=True).first()
        if employee_id:
            return {"ref": "orgs.employee", "id": employee_id}
    name = context.get("person", "")
    if name and row.organization_id:
        ids = list(Employee.objects.filter(organization_id=row.organization_id, name=name).values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            return {"ref": "orgs.employee", "id": ids[0]}
    return name


def forwards(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    FollowUpCase = apps.get_model("health", "FollowUpCase")
    Employee = apps.get_model("orgs", "Employee")
    rows = Notification.objects.filter(params__isnull=True, event__startswith="health.")
    for row in rows.iterator(chunk_size=500):
        context = row.context or {}
        if row.event in ("health.case.opened", "health.quarantine.proposed"):
            params = {
                "person": _person(row, context, FollowUpCase, Employee),
                "unit": _unit(row, context),
                "reason": context.get("reason", ""),
            }
        elif row.event == "health.cases.opened":
            params = {"n": context.get("n", ""), "unit": _unit(row, context)}
        elif row.event == "health.checkin.missing":
            params = {"n": context.get("n", ""), "unit": _unit(row, context), "day": context.get("day", "")}
        elif row.event == "health.checkin.reminder":
            params = {"day": context.get("day", "")}
        else:
            continue
        row.params = params
        row.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0002_checkin_lean_keys"),
        ("core", "0007_notification_params"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
