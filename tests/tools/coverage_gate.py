#!/usr/bin/env python
"""`make units`: the unit tests' line coverage of plugins/, against a floor for the total and one for every file.

Reads the JSON report of coverage.py (``--cov-report=json:<path>``; every file under plugins/ is in it, those no test
imports at 0%, see .coveragerc). Prints the files below the issue's targets (90% of lines overall, no file under 75%), then those under 90%,
then fails when the total is below ``--total`` or a file below ``--file``: the floors the Makefile passes
(COVERAGE_TOTAL, COVERAGE_FILE) rise towards the targets as tests are added, and never fall.
"""

from __future__ import annotations

import argparse
import json
import sys

TARGET_TOTAL = 90.0
TARGET_FILE = 75.0


def line_percent(summary: dict) -> float:
    statements = summary["num_statements"]
    return 100.0 if not statements else 100.0 * summary["covered_lines"] / statements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", help="coverage.py's JSON report")
    parser.add_argument("--total", type=float, required=True, help="the least line coverage of plugins/ as a whole, in percent")
    parser.add_argument("--file", type=float, required=True, help="the least line coverage of any one file, in percent")
    args = parser.parse_args(argv)
    with open(args.report, encoding="utf-8") as handle:
        report = json.load(handle)
    files = {path: line_percent(data["summary"]) for path, data in report["files"].items()}
    total = line_percent(report["totals"])
    below_target = sorted((percent, path) for path, percent in files.items() if percent < TARGET_FILE)
    print(f"line coverage of plugins/: {total:.1f}% (target {TARGET_TOTAL:.0f}%, floor {args.total:g}%); "
          f"{len(below_target)} of {len(files)} files under the per-file target of {TARGET_FILE:.0f}% (floor {args.file:g}%)")
    for percent, path in below_target:
        print(f"  {percent:5.1f}%  {path}")
    below_total = sorted((percent, path) for path, percent in files.items() if TARGET_FILE <= percent < TARGET_TOTAL)
    print(f"{len(below_total)} more under {TARGET_TOTAL:.0f}%:")
    for percent, path in below_total:
        print(f"  {percent:5.1f}%  {path}")
    problems = []
    if total < args.total:
        problems.append(f"total line coverage {total:.1f}% is below the floor of {args.total:g}%")
    problems += [f"{path}: {percent:.1f}% is below the per-file floor of {args.file:g}%"
                 for path, percent in sorted(files.items()) if percent < args.file]
    for problem in problems:
        print("FAIL: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
