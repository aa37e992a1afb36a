#!/usr/bin/env python3
"""Computes the expected csv-stats figures for the test CSV files, independently of the Java code.

Uses Python's csv module and statistics.pstdev (exact rational arithmetic), applying the rules
documented in docs/cli.md: first record is the header, blank lines ignored, cells trimmed,
empty cell = missing value, a column is numeric when every non-empty cell is a decimal number.

Run:  python3 compute_expected.py $CORPUS/seed/sample-01-csv.csv ../../csv/tricky.csv
(CORPUS=common/src/test/resources/corpus, the files common publishes in its test-jar.)
It writes <name>.expected.json next to this script.
"""
import csv
import json
import re
import statistics
import sys
from pathlib import Path

DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")


def expected(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        records = [r for r in csv.reader(f) if r != [] and r != [""]]
    header = [h.strip() for h in records[0]]
    rows = records[1:]
    numeric, skipped = {}, []
    for i, name in enumerate(header):
        cells = [(r[i] if i < len(r) else "").strip() for r in rows]
        values = [c for c in cells if c != ""]
        if not values or not all(DECIMAL.match(v) for v in values):
            skipped.append(name)
            continue
        floats = [float(v) for v in values]
        numeric[name] = {
            "count": len(floats),
            "missing": len(cells) - len(values),
            "mean": statistics.fmean(floats),
            "std": statistics.pstdev(floats),
            "min": min(floats),
            "max": max(floats),
        }
    return {"columns": header, "rows": len(rows), "numeric": numeric, "skipped": skipped}


for arg in sys.argv[1:]:
    out = Path(__file__).parent / (Path(arg).stem + ".expected.json")
    out.write_text(json.dumps(expected(arg), indent=2) + "\n")
    print("wrote", out)
