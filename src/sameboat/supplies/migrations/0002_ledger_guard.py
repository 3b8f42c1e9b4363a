"""The stock ledger's guard: moves append-only, balances changed only through the services
(triggers on SQLite and PostgreSQL, see sameboat.supplies.ledger_guard)."""

from django.db import migrations


def install(apps, schema_editor):
    from sameboat.supplies.ledger_guard import install_ledger_guard

    install_ledger_guard(schema_editor.connection)


def remove(apps, schema_editor):
    from sameboat.supplies.ledger_guard import remove_ledger_guard

    remove_ledger_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
