"""Open a notebook in a real JupyterLab, run all cells and save screenshots — to look at it as a learner would.

    .venv/bin/python scripts/screenshot.py notebooks/01-alliance-or-coalition.ipynb /tmp/shots

Writes /tmp/shots/<notebook>-NN.png, one per screen height of the notebook (scrolling down), and prints any error
output it finds. Needs Debian's chromium (/usr/bin/chromium) and the [test] extra. Works on a temporary copy.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from browser_driver import open_browser, run_all  # noqa: E402
from labserver import LabServer, copy_course  # noqa: E402


def main(notebook: str, out: str) -> int:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        course = copy_course(ROOT, Path(tmp) / "course")
        work = Path(tmp) / "work"
        work.mkdir()
        with LabServer(course, work) as lab, open_browser() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            rel = Path(notebook).resolve().relative_to(ROOT).as_posix()
            errors = run_all(page, lab.url(rel), course / rel)
            for error in errors:
                print("ERROR OUTPUT:", error[:500])
            scroller = page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer").first
            height = scroller.evaluate("e => e.scrollHeight")
            shots = 0
            for top in range(0, max(height, 1), 900):
                scroller.evaluate(f"e => e.scrollTo(0, {top})")
                page.wait_for_timeout(300)
                path = out_dir / f"{Path(rel).stem}-{shots:02d}.png"
                page.screenshot(path=str(path))
                shots += 1
            print(f"{shots} screenshots in {out_dir}")
            return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
