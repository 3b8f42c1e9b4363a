"""`sameboat db_roles --owner sameboat_owner --app sameboat_app`: on PostgreSQL, give
every table to the owner role and the app role only what the running app needs (see
docs/operations.md, "The audit table's owner role")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, transaction

from sameboat.core.db_roles import app_role_problems, check_role_name, role_statements, schema_tables


class Command(BaseCommand):
    help = "PostgreSQL: make OWNER own every table and give APP only the privileges the app needs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", required=True, help="the role that runs migrations and owns the tables")
        parser.add_argument("--app", required=True, help="the role the web server and workers connect as")
        parser.add_argument("--database", default="default", help="the Django database alias")
        parser.add_argument("--schema", default="public")
        parser.add_argument("--print", action="store_true", dest="print_only", help="print the SQL, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError("db_roles is for PostgreSQL; SQLite has no roles.")
        try:
            owner, app = check_role_name(options["owner"]), check_role_name(options["app"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if owner == app:
            raise CommandError("The owner and the app must be two different roles.")
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            problems = app_role_problems(cursor, owner=owner, app=app)
            if problems:
                raise CommandError("; ".join(problems) + ".")
            statements = role_statements(
                owner=owner,
                app=app,
                database=connection.settings_dict["NAME"],
                tables=schema_tables(cursor, options["schema"]),
                schema=options["schema"],
            )
            if options["print_only"]:
                self.stdout.write(";\n".join(statements) + ";")
                return
            for sql in statements:
                cursor.execute(sql)
        self.stdout.write(f"{owner} owns the tables; {app} may use them and only append to the audit trail.")
