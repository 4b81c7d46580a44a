"""Follow a renamed notebook heading in the quiz banks: rewrite every ``taught_in`` that names it.

    python scripts/rename-taught-in.py 08 "1. London, 2 March 2025: a coalition is launched" \
        "1. Paris and London, February–March 2025: a coalition is launched"

Rewrites ``taught_in: "<old>"`` in notebook NN's bank and ``taught_in: "NN: <old>"`` (warm-ups and reviews in later
banks), keeping everything else in the files as it is. Then run tests/test_quiz_taught_in.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    if len(argv) != 3 or not (len(argv[0]) == 2 and argv[0].isascii() and argv[0].isdigit()):
        print(__doc__)
        return 2
    number, old, new = argv
    changed = 0
    for path in sorted((ROOT / "data" / "quizzes").glob("[0-9][0-9]-*.yaml")):
        text = path.read_text(encoding="utf-8")
        own = path.name[:2] == number
        pairs = [(f"NN: {old}", f"NN: {new}")]
        if own:
            pairs.append((old, new))
        updated = text
        for before, after in pairs:
            before, after = before.replace("NN", number), after.replace("NN", number)
            for quote in (json.dumps(before, ensure_ascii=False), f"'{before}'", before):
                line = f"    taught_in: {quote}\n"
                if line in updated:
                    count = updated.count(line)
                    updated = updated.replace(line, f"    taught_in: {json.dumps(after, ensure_ascii=False)}\n")
                    changed += count
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: updated")
    print(f"{changed} taught_in value(s) renamed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
