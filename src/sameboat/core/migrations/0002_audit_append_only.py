"""The audit table is append-only: triggers refuse UPDATE and DELETE."""

from django.db import migrations


def forwards(apps, schema_editor):
    from sameboat.core.db import install_audit_guard

    install_audit_guard(schema_editor.connection, redaction=False)


def backwards(apps, schema_editor):
    from sameboat.core.db import remove_audit_guard

    remove_audit_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
