"""Run the benchmarks and print one JSON line per result (``make bench [ONLY=name]``).

Each benchmark compares our path with a plain alternative measured in the same run, in
alternating rounds, so the ``ratio`` (the median round) means something on a shared
machine where absolute times are noise; ``spread`` and ``verdict`` say how far to trust it
(see ``bench.timing``). A summary table follows on standard error. The
runs use a throw-away test database (SQLite in memory unless DATABASE_URL names another).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
from pathlib import Path


def _modules() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))


def main() -> int:
    """Set up Django and a test database, run the chosen benchmarks, print JSON lines."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", help="run one benchmark by name (e.g. scope_list)")
    args = parser.parse_args()

    os.environ.setdefault("SAMEBOAT_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sameboat.settings")
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    names = _modules()
    if args.only:
        names = [n for n in names if n == f"bench_{args.only}"]
        if not names:
            print(
                f"no benchmark named {args.only!r}; known: {', '.join(n.removeprefix('bench_') for n in _modules())}",
                file=sys.stderr,
            )
            return 2
    from bench.timing import table

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    done: list[dict[str, object]] = []
    try:
        for name in names:
            module = importlib.import_module(f"bench.{name}")
            for line in module.run():
                full = {"bench": name.removeprefix("bench_"), **line}
                done.append(full)
                print(json.dumps(full, ensure_ascii=False), flush=True)
    finally:
        teardown_databases(old, verbosity=0)
        # The summary goes to standard error, so standard output stays JSON lines.
        if done:
            print("\n" + table(done), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
