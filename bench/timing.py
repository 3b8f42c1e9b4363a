"""Small timing helpers shared by the benchmarks, and the honest way to state a ratio.

A ratio from one short run swings by about ±0.05 on these shared machines. So each
benchmark measures its two sides in alternating rounds (ours, baseline, ours, baseline …)
after a warm-up, takes one ratio per round, and reports the median with its spread (the
lowest and highest round). A goal counts as met only when every round meets it; a median
that meets it with a round on the wrong side is reported as "spread crosses goal".
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

ROUNDS = 5


def median_seconds(fn: Callable[[], object], *, repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def alternate(
    ours: Callable[[], float], baseline: Callable[[], float], *, rounds: int = ROUNDS, warmup: int = 1
) -> list[tuple[float, float]]:
    """Run ``ours`` and ``baseline`` in alternating rounds after ``warmup`` rounds of each
    (not kept); each returns its round's figure (a time or a rate). Returns the pairs."""
    for _ in range(warmup):
        ours()
        baseline()
    pairs = []
    for i in range(rounds):
        # Who goes first alternates too, so a drift in the machine's load favours neither.
        if i % 2:
            b = baseline()
            a = ours()
        else:
            a = ours()
            b = baseline()
        pairs.append((a, b))
    return pairs


def judged(ratios: list[float], *, goal: float | None, at_least: bool = True) -> dict[str, Any]:
    """The fields every benchmark line carries: median ratio, spread, rounds and verdict
    (``goal`` None: a figure to watch, with no line to meet)."""

    def meets(r: float) -> bool:
        assert goal is not None
        return r >= goal if at_least else r <= goal

    median = statistics.median(ratios)
    if goal is None:
        verdict = "no goal"
    elif all(meets(r) for r in ratios):
        verdict = "met"
    elif meets(median):
        verdict = "spread crosses goal"
    else:
        verdict = "not met"
    return {
        "ratio": round(median, 3),
        "spread": [round(min(ratios), 3), round(max(ratios), 3)],
        "rounds": [round(r, 3) for r in ratios],
        "goal": "-" if goal is None else f"{'>=' if at_least else '<='} {goal}",
        "verdict": verdict,
    }


def table(lines: list[dict[str, Any]]) -> str:
    """The short summary ``make bench`` prints at the end (one row per benchmark line)."""
    head = ("benchmark", "median", "spread", "goal", "rounds", "verdict")
    rows = [head]
    for line in lines:
        if "skipped" in line:
            rows.append((line["bench"], "-", "-", "-", "-", "skipped: " + str(line["skipped"])))
            continue
        spread = line.get("spread")
        rows.append(
            (
                line["bench"],
                str(line.get("ratio")),
                f"{spread[0]}–{spread[1]}" if spread else "-",
                str(line.get("goal", "-")),
                str(len(line.get("rounds", []))) if "rounds" in line else "1",
                str(line.get("verdict", "no goal")),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    out = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)
