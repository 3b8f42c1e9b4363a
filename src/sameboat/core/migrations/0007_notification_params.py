"""Notifications keep codes and references (``params``) instead of the sender's text.

Rows of core's own codes (background jobs) are converted where the job still exists: the
job's kind is named when read. The job's summary or refusal was text already and is kept.
Every other row keeps ``params`` empty and is shown from its stored ``context`` as before;
each app converts its own codes in its own migration.
"""

import re

import django.core.serializers.json
from django.db import migrations, models

JOB_URL = re.compile(r"/jobs/([0-9a-fA-F-]{36})/")


def forwards(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    Job = apps.get_model("core", "Job")
    rows = Notification.objects.filter(params__isnull=True, event__startswith="core.job.")
    for row in rows.iterator(chunk_size=500):
        found = JOB_URL.search(row.url or "")
        kind = Job.objects.filter(pk=found.group(1)).values_list("kind", flat=True).first() if found else None
        if kind is None:
            continue
        context = row.context or {}
        row.params = {
            "name": {"ref": "core.job_kind", "id": kind},
            "summary": context.get("summary", ""),
            "reason": context.get("reason", ""),
        }
        row.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_job_result_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(
                blank=True,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                null=True,
                verbose_name="parameters",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
