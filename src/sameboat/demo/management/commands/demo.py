"""`sameboat demo`: build the demo world, rebuild it, or print its logins.

Kept light on purpose: `make run` calls `demo --if-empty` on every start and the serve
script calls `demo --logins`, so neither may import the builder or do more than one query.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sameboat.core.exceptions import DomainError
from sameboat.orgs.models import Organization


class Command(BaseCommand):
    help = "Build the Sameboat demo world (organisations, regions, rosters, leadership, logins)."
    # Start-up scripts run this on every start, right after `migrate` has run the checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=("small", "full"),
            default="full",
            help="small: a few hundred people (browser tests); full: a few thousand.",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help="Build only when the database has no organisation at all.",
        )
        mode.add_argument(
            "--reset",
            action="store_true",
            help="Delete EVERYTHING in the database, then build the world again.",
        )
        mode.add_argument("--logins", action="store_true", help="Only print the demo logins and their password.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation before --reset.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            from sameboat.demo.logins import logins_table

            self.stdout.write(logins_table())
            return
        if options["if_empty"] and Organization.objects.exists():
            self.stdout.write("Organisations exist already: the demo world is not built.")
            return

        from sameboat.demo import builder
        from sameboat.demo.logins import logins_table

        if options["reset"]:
            if options["interactive"]:
                answer = input(
                    "This deletes EVERY record in the database, not only the demo world.\nType yes to continue: "
                )
                if answer.strip() != "yes":
                    raise CommandError("Reset cancelled; nothing was changed.")
            build = builder.world_rebuild
            self.stdout.write(f"Emptying the database and building the {options['size']} demo world:")
        elif builder.world_exists():
            self.stdout.write("The demo world exists already; nothing changed (use --reset to rebuild it).")
            return
        else:
            build = builder.world_build
            self.stdout.write(f"Building the {options['size']} demo world:")

        try:
            ctx = build(size=options["size"], log=self.stdout.write)
        except DomainError as error:
            # Say why (a code already taken by a real organisation, say); nothing was written.
            raise CommandError(f"The demo world was not built: {error}") from error
        counts = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in sorted(ctx.counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo world built in {ctx.seconds:.1f} s: {counts}."))
        self.stdout.write("Demo logins:")
        self.stdout.write(logins_table())
