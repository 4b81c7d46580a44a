"""`make bench-hub`: a class of N simulated learners on the local JupyterHub (default 30).

Each learner logs in, spawns a server, follows the class's nbgitpuller link (the course pulled into their home),
opens lesson 00 and runs it in their kernel, then answers the single-choice questions of quiz 02 through the kernel
(``quiz.answer``), one round trip each. Learners arrive ``--concurrency`` at a time (default 5), and every server
stays up until the end, so the memory figures are for the whole class at once.

Writes under the key "hub" of bench/results.json (other keys are kept): spawn time (p50/p95/max), quiz round trip
(p50/p95, milliseconds, kernel websocket request to reply), memory per learner (PSS of their server and kernel,
p50/max) and in total (hub, proxy and all servers), the failures (target 0), and the wall time.
The hub is hub/jupyterhub_config.py, the same as tests/test_hub.py uses; everything it started is stopped by
process id at the end.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hubdriver  # noqa: E402
from hubdriver import Hub, Learner  # noqa: E402

QUIZ = "02"
LESSON = f"{hubdriver.COURSE_REPO_NAME}/{hubdriver.START_NOTEBOOK}"


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def pss_kib(pid: int) -> int:
    """Proportional set size (shared pages split between the processes that share them), else RSS."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return hubdriver.rss_kib(pid)


def user_of(pid: int) -> str | None:
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return None
    for item in environ:
        if item.startswith(b"JUPYTERHUB_USER="):
            return item.split(b"=", 1)[1].decode()
    return None


def one_learner(hub: Hub, name: str, remote: Path) -> dict:
    result: dict = {"name": name, "ok": False}
    learner = Learner(hub, name)
    learner.log_in()
    result["spawn_s"] = learner.spawn(timeout=300)
    learner.follow_pull_link(remote, timeout=300)
    kernel = learner.open_notebook_kernel(LESSON)
    started = time.monotonic()
    for code in learner.notebook_code_cells(LESSON):
        _, errors = kernel.execute(code, timeout=300)
        if errors:
            raise RuntimeError(f"lesson 00 failed for {name}: {errors}")
    result["lesson_s"] = time.monotonic() - started
    out, errors = kernel.execute("from alliance_course.quiz.bank import load_bank\n"
                                 f"print(','.join(q.id for q in load_bank({QUIZ!r}) if q.type == 'single'))")
    if errors:
        raise RuntimeError(f"reading quiz {QUIZ} failed for {name}: {errors}")
    ids = out.strip().split(",")
    trips = []
    for n, question in enumerate(ids):
        letter = "ab"[(n + len(name)) % 2]  # every question has at least two options
        started = time.monotonic()
        _, errors = kernel.execute(f"from alliance_course import quiz\n_ = quiz.answer({QUIZ!r}, {question!r}, "
                                   f"{letter!r})", timeout=120)
        trips.append((time.monotonic() - started) * 1000)
        if errors:
            raise RuntimeError(f"quiz.answer failed for {name}: {errors}")
    out, errors = kernel.execute("from alliance_course import progress\nprint(len(progress.records()))")
    if errors or int(out.strip()) != len(ids):
        raise RuntimeError(f"{name}: {len(ids)} answers but progress holds {out.strip()} {errors}")
    result["quiz_ms"] = trips
    result["ok"] = True
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--learners", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=5, help="learners arriving at the same time")
    parser.add_argument("--key", default="hub", help="the key of bench/results.json to write (default: hub)")
    args = parser.parse_args()
    problems = hubdriver.missing_pieces()
    if problems:
        print("*** cannot run the hub benchmark: " + "; ".join(problems))
        return 1

    workdir = hubdriver.new_workdir("alliance-bench-hub-")
    print(f"==> [bench-hub] {args.learners} learners, {args.concurrency} at a time; state in {workdir}")
    hubdriver.install_course_wheel(workdir)
    remote = hubdriver.make_course_remote(workdir)
    hub = Hub(workdir)
    results, failures = [], []
    began = time.monotonic()
    try:
        hub.start()
        names = [f"learner{n:03d}" for n in range(1, args.learners + 1)]
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            futures = {pool.submit(one_learner, hub, name, remote): name for name in names}
            for future in as_completed(futures):
                name = futures[future]
                try:
                    result = future.result()
                    results.append(result)
                    print(f"    {name}: spawn {result['spawn_s']:.1f} s, lesson {result['lesson_s']:.1f} s, "
                          f"quiz p50 {statistics.median(result['quiz_ms']):.0f} ms")
                except Exception as exc:  # a failure is a result to report, not a crash of the benchmark
                    failures.append({"name": name, "error": f"{type(exc).__name__}: {exc}"[:500]})
                    print(f"    {name}: FAILED {type(exc).__name__}: {str(exc)[:200]}")
                    traceback.print_exc(limit=2)
        wall = time.monotonic() - began
        hub.track()
        per_user: dict[str, int] = {}
        total = pss_kib(hub.process.pid) if hub.process else 0
        for pid in hubdriver.descendants(hub.process.pid):
            size = pss_kib(pid)
            total += size
            user = user_of(pid)
            if user:
                per_user[user] = per_user.get(user, 0) + size
    finally:
        hub.stop()

    spawns = [r["spawn_s"] for r in results]
    trips = [t for r in results for t in r["quiz_ms"]]
    memory = [kib / 1024 for kib in per_user.values()]
    summary = {
        "date": date.today().isoformat(),
        "machine": {"cores": 2, "python": platform.python_version()},
        "learners": args.learners,
        "concurrency": args.concurrency,
        "completed": len(results),
        "failures": len(failures),
        "failure_details": failures[:10],
        "spawn_seconds": {"p50": round(percentile(spawns, 0.5) or 0, 2), "p95": round(percentile(spawns, 0.95) or 0, 2),
                          "max": round(max(spawns, default=0), 2)},
        "lesson00_seconds_p50": round(percentile([r["lesson_s"] for r in results], 0.5) or 0, 2),
        "quiz_round_trip_ms": {"answers": len(trips), "p50": round(percentile(trips, 0.5) or 0, 1),
                               "p95": round(percentile(trips, 0.95) or 0, 1)},
        "memory_per_learner_mib": {"p50": round(percentile(memory, 0.5) or 0, 1),
                                   "max": round(max(memory, default=0), 1)},
        "memory_total_mib": round(total / 1024, 1),
        "wall_seconds": round(wall, 1),
    }
    out = ROOT / "bench" / "results.json"
    existing = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    existing[args.key] = summary
    out.write_text(json.dumps(existing, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k != "failure_details"}, indent=2))
    print(f"written: bench/results.json (key {args.key!r})")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
