"""Copied-log scan benchmark (enterprises/internships/integrity.py).

    .venv/bin/python benchmarks/internship_duplicates.py [--logs 100000] [--copies 1000]

N synthetic weekly logs (Chinese, ~240–360 characters of Zipf-distributed words from a
6,000-word vocabulary, so unrelated logs share the frequent words as real ones do), of
which C are edited copies of another log (four ~10-character phrases rewritten, a
sentence added). Runs the engine the worker runs — MinHash signatures, LSH banding,
similarity of the candidates — in one process and prints the time of each step, the
recall of the planted copies and the number of other pairs flagged. No database: the
worker's scan adds reading the texts and storing the signatures (timed on a sample with
--db-sample, see docs/benchmarks.md). Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings.test")

def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Words of 1–3 common CJK characters (the 3,500 most frequent code points stand in)."""
    chars = [chr(c) for c in rng.sample(range(0x4E00, 0x4E00 + 3500), 3500)]
    return ["".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2, 2, 3)))) for _ in range(size)]


def log_text(rng: random.Random, words: list[str], weights: list[float]) -> str:
    """~300 characters of Zipf-distributed words in sentences: unrelated logs share the
    frequent words (as real ones share 的, 了, 我们, 工作) but few 3-character runs."""
    out = []
    while sum(len(w) for w in out) < rng.randint(240, 360):
        out.extend(rng.choices(words, cum_weights=weights, k=rng.randint(6, 14)))
        out.append("，" if rng.random() < 0.6 else "。")
    return "".join(out)


def corpus(n: int, copies: int, seed: int = 7) -> tuple[list[str], set[tuple[int, int]]]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    texts = [log_text(rng, words, weights) for _ in range(n - copies)]
    planted = set()
    for _ in range(copies):
        source = rng.randrange(len(texts))
        text = texts[source]
        for _ in range(4):  # four phrases rewritten, each about 10 characters
            at = rng.randrange(max(1, len(text) - 12))
            text = text[:at] + "".join(rng.choices(words, k=4)) + text[at + 10:]
        text += "另外，本周还整理了工作笔记。"
        planted.add((source, len(texts)))
        texts.append(text)
    return texts, planted


def main() -> None:
    import django

    django.setup()
    from enterprises.internships import integrity

    parser = argparse.ArgumentParser()
    parser.add_argument("--logs", type=int, default=100_000)
    parser.add_argument("--copies", type=int, default=1_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    texts, planted = corpus(args.logs, args.copies)
    t1 = time.perf_counter()
    sigs = integrity.signatures(texts)
    t2 = time.perf_counter()
    candidates = integrity.candidate_pairs(sigs)
    t3 = time.perf_counter()
    pairs = integrity.similar_pairs(sigs, pairs=candidates)
    t4 = time.perf_counter()
    found = {(i, j) for i, j, _s in pairs}
    recall = len(found & planted) / len(planted) if planted else 1.0
    others = len(found - planted)
    avg_chars = sum(len(t) for t in texts) / len(texts)
    print(f"| logs | {len(texts):,} (avg {avg_chars:.0f} characters), {len(planted):,} planted edited copies |")
    print("|---|---:|")
    print(f"| generate corpus (not part of the scan) | {t1 - t0:.1f} s |")
    print(f"| MinHash signatures ({integrity.NUM_PERM} values) | {t2 - t1:.1f} s |")
    print(f"| LSH candidates ({integrity.BANDS}×{integrity.ROWS}): {len(candidates):,} pairs | {t3 - t2:.1f} s |")
    print(f"| similarity ≥ {integrity.TEXT_THRESHOLD} of the candidates  | {t4 - t3:.1f} s |")
    print(f"| **scan total (signatures + candidates + similarity)** | **{t4 - t1:.1f} s** |")
    print(f"| planted copies found (recall) | {recall:.3f} |")
    print(f"| other pairs flagged | {others} |")


if __name__ == "__main__":
    main()
