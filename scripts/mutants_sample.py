"""A fixed, seeded sample of the mutants under mutants/, for a mutation run that fits in an hour.

    python3 scripts/mutants_sample.py [--per-module N] [--seed S] > sample.txt

Every module in [tool.mutmut] only_mutate gives N mutants (all of them when it has fewer), drawn with a
fixed seed from the sorted names, so the same tree gives the same sample. The controller gives 1.5 N and
the schedule's modules about N / 2 each: the controller holds most of the money's decisions, and the
schedule's mutants were checked in the first run. mutants/ must exist: `make mutants` (or any mutmut run)
generates every mutant first.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

WEIGHT = {"core/control/controller.py": 1.5, "core/schedule/firing.py": 0.625, "core/schedule/scheduler.py": 0.625,
          "core/schedule/plan.py": 0.5}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-module", type=int, default=40)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--skip", action="append", default=["core/store/secrets.py"],
                        help="a module checked whole instead (default: core/store/secrets.py)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    metas = sorted(Path("mutants/core").rglob("*.py.meta"))
    if not metas:
        print("No mutants/ here: run `make mutants` first (it generates every mutant).", file=sys.stderr)
        return 1
    for meta in metas:
        source = str(meta.relative_to("mutants"))[: -len(".meta")]
        names = sorted(json.loads(meta.read_text())["exit_code_by_key"])
        if source in args.skip or not names:
            continue
        count = round(args.per_module * WEIGHT.get(source, 1.0))
        print("\n".join(rng.sample(names, min(count, len(names)))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
