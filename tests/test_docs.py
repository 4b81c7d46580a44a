"""The documentation stays true: every table is described in data/README.md, and every relative link in the
course's Markdown files points at a file that exists."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from alliance_course import paths
from alliance_course.lint import MARKDOWN_LINK

ROOT = paths.course_root()
DOCS = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "LICENSE-CONTENT.md", ROOT / "data" / "README.md",
               *(ROOT / "instructors").rglob("*.md")])
LINK = MARKDOWN_LINK  # the linter's pattern: one definition of a link


def test_every_table_is_described_in_the_data_readme():
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    missing = [r["name"] for r in package["resources"] if f"`{r['name']}`" not in readme]
    assert not missing, f"data/README.md does not describe: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=[d.relative_to(ROOT).as_posix() for d in DOCS])
def test_relative_links_resolve(doc: Path):
    text = doc.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # examples in code blocks are not links
    broken = []
    for target in LINK.findall(text):
        parsed = urlparse(target)
        if parsed.scheme or target.startswith("#"):
            continue
        if not (doc.parent / unquote(parsed.path)).exists():
            broken.append(target)
    assert not broken, f"{doc.relative_to(ROOT)}: links to missing files: {broken}"


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make lab" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
