"""Record each CSV's size and sha256 in data/datapackage.json (``bytes`` and ``hash`` of every resource).

Run after an intended change to a data file: ``python scripts/data/update_package_hashes.py``.
``data.load(name, validate=True)`` then detects any later truncation or hand edit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"


def main() -> None:
    path = DATA / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    for resource in package["resources"]:
        content = (DATA / resource["path"]).read_bytes()
        size, digest = len(content), "sha256:" + hashlib.sha256(content).hexdigest()
        if resource.get("bytes") != size or resource.get("hash") != digest:
            changed += 1
        resource["bytes"], resource["hash"] = size, digest
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(package['resources'])} resources, {changed} updated")


if __name__ == "__main__":
    main()
