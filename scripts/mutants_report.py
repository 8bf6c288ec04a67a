"""Summarise a `make mutants` run for docs/testing.md: per module, how many mutants were checked and how many
each outcome had, then every survivor with the line it changed.

    python3 scripts/mutants_report.py [--sample FILE]     # from the checkout that holds mutants/

--sample: a file of mutant names (one a line) that the run was asked for; the table then counts only those,
so a sampled run reports a sampled score.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

OUTCOME = {1: "killed", 3: "killed", 0: "survived", 33: "no tests", 5: "no tests", 37: "mypy", 36: "timeout",
           -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", None: "not checked"}
COLUMNS = ("killed", "mypy", "timeout", "survived", "no tests")


def changed_line(name: str, path: str) -> str:
    """The mutant's one changed line, as `mutmut show` prints it (without the diff's markers)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    try:
        diff = get_diff_for_mutant(name, path=path)
    except Exception as exc:  # noqa: BLE001 - whatever mutmut raises for one mutant, the report goes on
        return f"(diff unavailable: {type(exc).__name__})"
    added = [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return " / ".join(added)[:110] or "(line removed)"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=Path)
    args = parser.parse_args()
    wanted = set(args.sample.read_text().split()) if args.sample else None
    results: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: list[tuple[str, str]] = []
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        source = str(meta.relative_to("mutants"))[: -len(".meta")]
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if wanted is not None and name not in wanted:
                continue
            outcome = OUTCOME.get(code, "suspicious")
            if outcome == "not checked":
                continue
            results[source][outcome] += 1
            if outcome == "survived":
                survivors.append((name, source))
    if not results:
        print("No checked mutants under mutants/: run `make mutants` first.", file=sys.stderr)
        return 1
    print("| module | checked | " + " | ".join(COLUMNS) + " | score |")
    print("| --- | --- | " + " | ".join("---" for _ in COLUMNS) + " | --- |")
    total: Counter[str] = Counter()
    for source, counts in sorted(results.items()):
        total.update(counts)
        print(row(source, counts))
    print(row("total", total))
    print()
    print("| mutant | the change |")
    print("| --- | --- |")
    for name, source in survivors:
        print(f"| `{name.removeprefix('core.')}` | `{changed_line(name, source).replace('|', '¦')}` |")
    return 0


def row(label: str, counts: Counter[str]) -> str:
    checked = sum(counts.values())
    caught = counts["killed"] + counts["mypy"] + counts["timeout"]
    return (f"| {label} | {checked} | " + " | ".join(str(counts[c]) for c in COLUMNS)
            + f" | {100 * caught / checked:.0f}% |")


if __name__ == "__main__":
    sys.exit(main())
