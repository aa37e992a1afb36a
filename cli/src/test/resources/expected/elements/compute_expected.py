#!/usr/bin/env python3
"""Expected 'dicomflow elements' figures for the brief's element files, computed independently.

For each element: the number of integers in its data strings, their plain average (exact, with
fractions) and the average after normalisation, normalising by dividing every value by the
element's maximum (the brief's Task 3.2; for values 0..100 this is the average / 100).

Run from this folder:
  python3 compute_expected.py $CORPUS/seed/sample-03-00-json.json $CORPUS/seed/sample-04-json.json
(CORPUS=common/src/test/resources/corpus, the files common publishes in its test-jar.)
It writes <name>.expected.tsv next to this script.
"""
import json
import sys
from fractions import Fraction
from pathlib import Path

for arg in sys.argv[1:]:
    elements = json.loads(Path(arg).read_text())
    lines = ["key\tid\tdeviceName\tsize\tmin\tmax\taverage\taverageAfterNormalization"]
    for key, element in elements.items():
        values = [int(token) for row in element["data"] for token in row.split()]
        average = Fraction(sum(values), len(values))
        normalised = average / max(values)
        lines.append("\t".join([key, element["id"], element["deviceName"], str(len(values)),
                                str(min(values)), str(max(values)),
                                repr(float(average)), repr(float(normalised))]))
    out = Path(__file__).parent / (Path(arg).stem + ".expected.tsv")
    out.write_text("\n".join(lines) + "\n")
    print("wrote", out)
