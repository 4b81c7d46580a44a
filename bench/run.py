"""`make bench`: how heavy and how fast is the course? (A measurement, not a test.)

For each learner notebook: wall time to execute it in a fresh kernel and the kernel's peak memory (max RSS),
each next to a *floor* notebook that only runs the same import lines — the ratio is the figure that matters.
Then the click-to-feedback latency of a quiz in real JupyterLab (median and worst of 20 clicks), and the time of
a whole `make test`. Prints a table and writes bench/results.json.

    .venv/bin/python bench/run.py [--repeat 3] [--clicks 20] [--skip-make-test] [--skip-browser]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
TARGETS = {"time_ratio": 1.5, "memory_ratio": 1.25, "feedback_median_ms": 150}
PEAK_RSS = ("import resource, sys\n"
            "_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print(_kb / 1024 if sys.platform != 'darwin' else _kb / 1024 / 1024)")


def import_lines(nb: nbformat.NotebookNode) -> list[str]:
    """The notebook's top-level import statements, in order (the floor notebook runs only these)."""
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if re.match(r"^(import\s+\w|from\s+[\w.]+\s+import\s)", line) and "(" not in line:
                if line not in lines:
                    lines.append(line)
    return lines


def run_once(nb: nbformat.NotebookNode, workdir: Path) -> tuple[float, float]:
    """(seconds, peak MiB) for executing ``nb`` in a fresh kernel; the kernel start is included."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_RSS))
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}).execute()
    seconds = time.perf_counter() - start
    peak = float(nb.cells[-1].outputs[0]["text"])
    return seconds, peak


def bench_notebooks(repeat: int) -> list[dict]:
    rows = []
    env_progress = tempfile.mkdtemp(prefix="bench-progress-")
    os.environ["ALLIANCE_COURSE_PROGRESS"] = str(Path(env_progress) / "progress.json")
    os.environ.setdefault("MPLBACKEND", "Agg")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        floor = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("\n".join(import_lines(nb)))])
        floor.metadata = nb.metadata
        with tempfile.TemporaryDirectory() as tmp:
            runs = [run_once(nb, Path(tmp)) for _ in range(repeat)]
            floors = [run_once(floor, Path(tmp)) for _ in range(repeat)]
        t, m = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        ft, fm = statistics.median(r[0] for r in floors), statistics.median(r[1] for r in floors)
        row = {"notebook": path.name, "seconds": round(t, 2), "floor_seconds": round(ft, 2),
               "time_ratio": round(t / ft, 2), "peak_mib": round(m, 1), "floor_peak_mib": round(fm, 1),
               "memory_ratio": round(m / fm, 2)}
        row["within_targets"] = (row["time_ratio"] <= TARGETS["time_ratio"]
                                 and row["memory_ratio"] <= TARGETS["memory_ratio"])
        print(f"{path.name:42} {t:6.2f} s (floor {ft:5.2f}, ×{row['time_ratio']:.2f})   "
              f"{m:6.1f} MiB (floor {fm:6.1f}, ×{row['memory_ratio']:.2f})  "
              f"{'ok' if row['within_targets'] else 'OVER'}")
        rows.append(row)
    return rows


def bench_feedback(clicks: int) -> dict:
    from browser_driver import CHROMIUM, PANEL, open_browser, run_all
    from labserver import LabServer, copy_course

    from alliance_course import quiz

    if not CHROMIUM.exists():
        return {"skipped": "no /usr/bin/chromium"}
    bank = quiz.load_bank("00").for_learner(quiz.learner_seed())  # the order the lab (same user) shows
    question = next(q for q in bank.questions if q.type == "single" and q.section == "quiz")
    right = next(i for i, o in enumerate(question.options) if o.correct)
    wrong = next(i for i, o in enumerate(question.options) if not o.correct)
    prompt = " ".join(re.sub(r"`([^`]+)`", r"\1", question.prompt).split())[:40]
    latencies = []
    with tempfile.TemporaryDirectory() as tmp:
        course = copy_course(ROOT, Path(tmp) / "course")
        (Path(tmp) / "work").mkdir()
        with LabServer(course, Path(tmp) / "work") as lab, open_browser() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            run_all(page, lab.url("notebooks/00-start-here.ipynb"), course / "notebooks" / "00-start-here.ipynb")
            box = page.locator(f"{PANEL} .quiz-question", has_text=prompt).last
            box.scroll_into_view_if_needed()
            for n in range(clicks):
                option = wrong if n % 2 == 0 else right
                box.locator("input[type=radio]").nth(option).check()
                ms = box.evaluate(
                    """box => new Promise(resolve => {
                         const feedback = box.querySelector('.quiz-feedback');
                         const button = Array.from(box.querySelectorAll('button'))
                           .find(b => b.innerText.trim() === 'Submit');
                         let t0 = 0;
                         const observer = new MutationObserver(() => {
                           observer.disconnect(); resolve(performance.now() - t0); });
                         observer.observe(feedback, {childList: true, subtree: true, characterData: true});
                         t0 = performance.now();
                         button.click();
                       })""")
                latencies.append(ms)
    return {"clicks": clicks, "median_ms": round(statistics.median(latencies), 1), "worst_ms": round(max(latencies), 1),
            "within_target": statistics.median(latencies) <= TARGETS["feedback_median_ms"]}


def bench_quiz_robustness() -> dict:
    """Worst cases of the quiz engine: refusing a YAML alias bomb, wrapping a 5 MB prompt, grading a 5 MB answer."""
    from alliance_course.quiz import BankError, load_bank
    from alliance_course.quiz.text import wrap

    bomb = "title: bomb\nquestions:\n  - &a0 [" + ", ".join(['"lol"'] * 10) + "]\n" + "".join(
        f"  - &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]\n" for n in range(1, 9))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "55-bomb.yaml"
        path.write_text(bomb, encoding="utf-8")
        start = time.perf_counter()
        try:
            load_bank(path)
        except BankError:
            pass
        results["alias_bomb_refused_ms"] = round((time.perf_counter() - start) * 1000, 2)
    for size in (1_000_000, 5_000_000):
        text = ("word " * (size // 5))[:size]
        start = time.perf_counter()
        wrap(text)
        results[f"wrap_{size // 1_000_000}mb_s"] = round(time.perf_counter() - start, 3)
    question = next(q for q in load_bank("00").questions if q.type == "multiple")
    start = time.perf_counter()
    question.grade("a, " * 1_700_000)
    results["grade_5mb_answer_s"] = round(time.perf_counter() - start, 3)
    return results


def bench_make_test() -> dict:
    start = time.perf_counter()
    status = subprocess.call(["make", "test"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {"seconds": round(time.perf_counter() - start, 1), "exit_status": status}


def machine() -> dict:
    memory = None
    try:
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return {"system": platform.platform(), "python": platform.python_version(), "cores": os.cpu_count(),
            "memory_gib": memory, "date": time.strftime("%Y-%m-%d")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clicks", type=int, default=20)
    parser.add_argument("--skip-make-test", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    results = {"machine": machine(), "targets": TARGETS}
    print(f"==> notebooks: median of {args.repeat} fresh-kernel runs, next to their import-only floor")
    results["notebooks"] = bench_notebooks(args.repeat)
    print("==> quiz engine worst cases (alias bomb, 5 MB prompt, 5 MB answer)")
    results["quiz_robustness"] = bench_quiz_robustness()
    print(f"    {results['quiz_robustness']}")
    if not args.skip_browser:
        print(f"==> quiz click-to-feedback latency in JupyterLab ({args.clicks} clicks)")
        results["quiz_feedback"] = bench_feedback(args.clicks)
        print(f"    {results['quiz_feedback']}")
    if not args.skip_make_test:
        print("==> the whole `make test`")
        results["make_test"] = bench_make_test()
        print(f"    {results['make_test']}")
    out = ROOT / "bench" / "results.json"
    if out.exists():  # keep the keys written by `make bench-hub`
        previous = json.loads(out.read_text(encoding="utf-8"))
        results = {**{key: value for key, value in previous.items() if key.startswith("hub")}, **results}
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
