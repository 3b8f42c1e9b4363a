"""API tokens moved to django-rest-knox (hashed, expiring): drop DRF's plain-text tokens.

The old table held every token in clear text; keeping it would keep those credentials
alive at rest. Clients ask for a new token (POST /api/v1/auth/token/); see docs/decisions.md.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("knox", "0009_extend_authtoken_field")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
