"""How long a `manage.py` call takes before it does anything: `manage.py check` (loads
settings, apps, the URLs and every module they import), N times.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--root PATH]

Prints wall-clock and CPU seconds (user + system of the child) per run, their minimum
and median, and which heavy libraries the URL import loaded. CPU time is the figure to
compare on a shared machine: wall time there includes waiting for a core."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("torch", "cv2", "pandas", "numpy", "matplotlib", "sklearn", "scipy")


def one_run(root: Path, python: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # Python's default: modules compiled once into __pycache__. (A shell with
    # PYTHONDONTWRITEBYTECODE set, as on the development machine, would compile the
    # project's ~330 modules on every call: about 0.5 s more.)
    subprocess.run([python, "manage.py", "check"], cwd=root, check=True, capture_output=True,
                   env={k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONDONTWRITEBYTECODE")})
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def heavy_loaded(root: Path, python: str) -> list[str]:
    code = ("import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'platform_site.settings.local');"
            "django.setup(); from django.urls import get_resolver; get_resolver().url_patterns;"
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([python, "-c", code], cwd=root, check=True, capture_output=True, text=True)
    return out.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    args = parser.parse_args()
    root = Path(args.root)
    python = str(root / ".venv" / "bin" / "python") if (root / ".venv").exists() else sys.executable
    one_run(root, python)  # warm the page cache and __pycache__
    runs = [one_run(root, python) for _ in range(args.runs)]
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(f"root: {root}")
    print(f"manage.py check, {args.runs} runs: wall min {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
          f"CPU min {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s")
    print(f"heavy libraries loaded by the URLs: {' '.join(heavy_loaded(root, python)) or 'none'}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
