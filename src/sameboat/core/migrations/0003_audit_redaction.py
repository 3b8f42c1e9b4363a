"""The audit guard lets one UPDATE through: the retention purge's redaction of old values."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from sameboat.core.db import install_audit_guard

    install_audit_guard(schema_editor.connection, redaction=True)


def backwards(apps, schema_editor):
    from sameboat.core.db import install_audit_guard

    install_audit_guard(schema_editor.connection, redaction=False)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="redacted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="values removed at"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
