"""Follow-up reasons are stored as codes and values, said in the reader's language when read."""

from django.db import migrations, models
import re

# A reason as check-ins wrote it, in English, in Chinese, or (the demo) both with " · ".
FEVER = re.compile(r"^(?:temperature|体温)\s*([0-9]+(?:\.[0-9]+)?)\s*°C$")
WORDS = {
    "symptoms reported": "symptoms",
    "自述症状": "symptoms",
    "报告有症状": "symptoms",
    "contact with a case": "contact",
    "密切接触病例": "contact",
    "有病例接触史": "contact",
}
NOTE = re.compile(r"^(\d{4}-\d{2}-\d{2}):\s*(.+)$", re.S)


def _one(text):
    for side in text.split(" · "):
        side = side.strip()
        found = FEVER.match(side)
        if found:
            return {"code": "fever", "t": found.group(1)}
        if side in WORDS:
            return {"code": WORDS[side]}
    return None


def parse(text):
    """The reasons in ``text`` as codes, or None when any part is not a check-in's reason."""
    parts = [p for p in re.split(r"[;；]\s*", text or "") if p.strip()]
    reasons = [_one(p) for p in parts]
    return reasons if parts and all(reasons) else None


def forwards(apps, schema_editor):
    """Store the reasons check-ins wrote as codes; a reason a person typed stays as it is.

    A quarantine's reason stays text: the system's (an arrival) named its region by a name
    in one language, which cannot be matched back to a code reliably; it reads as before.
    """
    FollowUpCase = apps.get_model("health", "FollowUpCase")
    CaseNote = apps.get_model("health", "CaseNote")
    for case in FollowUpCase.objects.filter(reasons=[]).exclude(reason="").only("pk", "reason").iterator():
        reasons = parse(case.reason)
        if reasons:
            FollowUpCase.objects.filter(pk=case.pk).update(reasons=reasons, reason="")
    for note in CaseNote.objects.filter(params__isnull=True, author__isnull=True).only("pk", "text").iterator():
        found = NOTE.match(note.text or "")
        reasons = parse(found.group(2)) if found else None
        if reasons:
            CaseNote.objects.filter(pk=note.pk).update(params={"day": found.group(1), "reasons": reasons}, text="")


class Migration(migrations.Migration):

    dependencies = [
        ('health', '0005_opened_day'),
    ]

    operations = [
        migrations.AddField(
            model_name='casenote',
            name='params',
            field=models.JSONField(blank=True, null=True, verbose_name='signal'),
        ),
        migrations.AddField(
            model_name='followupcase',
            name='reasons',
            field=models.JSONField(blank=True, default=list, verbose_name='reasons'),
        ),
        migrations.AlterField(
            model_name='casenote',
            name='text',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='followupcase',
            name='reason',
            field=models.CharField(blank=True, max_length=300, verbose_name='reason'),
        ),
        migrations.AddField(
            model_name="quarantine",
            name="reasons",
            field=models.JSONField(blank=True, default=list, verbose_name="reasons"),
        ),
        migrations.AlterField(
            model_name="quarantine",
            name="reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="reason"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
