"""Idempotency keys move to the API layer (sameboat.api): the table is renamed to the API
app's name and leaves health's state; api's 0002_idempotency_key takes it over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0003_notification_params"),
        ("api", "0002_idempotency_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
            database_operations=[migrations.AlterModelTable(name="IdempotencyKey", table="api_idempotencykey")],
        ),
    ]
