"""Idempotency keys become the API layer's (they were health's, for check-ins only).

State only: the table is health's, renamed to this app's name by health's migration
0004_idempotency_key_to_api, which depends on this one, so every row (and a phone's retry
in flight) survives the move.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_drop_plain_text_tokens"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyKey",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("key", models.CharField(max_length=100, verbose_name="key")),
                        ("request_hash", models.CharField(max_length=64, verbose_name="request fingerprint")),
                        ("status_code", models.PositiveSmallIntegerField(verbose_name="status code")),
                        ("response", models.JSONField(default=dict, verbose_name="response")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "idempotency key",
                        "verbose_name_plural": "idempotency keys",
                        "constraints": [
                            models.UniqueConstraint(fields=("user", "key"), name="idempotency_key_unique")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
