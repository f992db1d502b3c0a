"""Copied internship work, found by a worker (docs/internships.md#integrity).

Logs: each text is normalised (NFKC, lower case, only CJK characters, Latin letters and
digits kept) and cut into character shingles: 3 characters for a mostly Chinese text,
5 for any other (Chinese characters carry about a word each; Latin letters need longer
shingles before two unrelated texts stop sharing them). A MinHash signature of
NUM_PERM values estimates the Jaccard similarity of two texts' shingle sets; LSH with
BANDS bands of ROWS rows proposes the candidate pairs (a pair at Jaccard J becomes a
candidate with probability 1 - (1 - J^ROWS)^BANDS: 0.5 → 0.65, 0.6 → 0.89, 0.7 → 0.99),
and a candidate is flagged when its estimated similarity is at least TEXT_THRESHOLD.
Two logs of one placement: SELF_TEXT (the intern repeats an earlier log); of two
students: PEER_TEXT, flagged on both sides so that each tutor sees it.

Check-ins: several students' check-ins from one device (same device hash) within
DEVICE_WINDOW, or from one network address while their placements are at different
organisations within ADDRESS_WINDOW (interns of one enterprise share its network),
are flagged on each side.

Pure Python + NumPy, so it runs the same on SQLite and PostgreSQL (pg_trgm would tie it
to PostgreSQL and compares pairs one by one)."""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from django.db import transaction
from django.utils import timezone

from .models import CheckIn, IntegrityFlag, WeeklyLog

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
TEXT_THRESHOLD = 0.5
K_CJK = 3
K_LATIN = 5
DEVICE_WINDOW = datetime.timedelta(hours=2)
ADDRESS_WINDOW = datetime.timedelta(minutes=10)
CHECKIN_LOOKBACK = datetime.timedelta(days=14)
MAX_BUCKET = 50  # a band bucket larger than this is boilerplate shared by many: pairs skipped

_KEEP = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_rng = np.random.default_rng(20261207)
# Multiply-shift hashing: h(x) = (a·x + b) >> 32 over 64-bit words, a odd.
_A = (_rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)).reshape(-1, 1)
_B = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64).reshape(-1, 1)
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)


def normalise(text: str) -> str:
    return _KEEP.sub("", unicodedata.normalize("NFKC", text or "").lower())


def shingles(text: str) -> np.ndarray:
    """The distinct shingle hashes (uint32) of a text."""
    norm = normalise(text)
    if not norm:
        return np.empty(0, dtype=np.uint64)
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    k = K_CJK if np.count_nonzero(codes >= 0x3400) * 2 >= len(codes) else K_LATIN
    if len(codes) < k:
        k = len(codes)
    # Polynomial rolling hash of each k-gram, modulo 2^32.
    h = np.zeros(len(codes) - k + 1, dtype=np.uint64)
    for j in range(k):
        h = (h * np.uint64(1_000_003) + codes[j:len(codes) - k + 1 + j]) & np.uint64(0xFFFFFFFF)
    return np.unique(h)


def signatures(texts: Sequence[str], *, chunk: int = 256) -> np.ndarray:
    """MinHash signatures, one row of NUM_PERM uint32 per text (vectorised per chunk)."""
    out = np.empty((len(texts), NUM_PERM), dtype=np.uint32)
    for start in range(0, len(texts), chunk):
        sets = [shingles(t) for t in texts[start:start + chunk]]
        lengths = np.array([len(s) for s in sets])
        nonempty = lengths > 0
        if nonempty.any():
            flat = np.concatenate([s for s in sets if len(s)])
            offsets = np.concatenate([[0], np.cumsum(lengths[nonempty])[:-1]])
            hashed = (_A * flat[None, :] + _B) >> np.uint64(32)
            mins = np.minimum.reduceat(hashed, offsets, axis=1).T.astype(np.uint32)
            block = np.tile(_EMPTY, (len(sets), 1))
            block[nonempty] = mins
        else:
            block = np.tile(_EMPTY, (len(sets), 1))
        out[start:start + len(sets)] = block
    return out


def estimated_similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def jaccard(text_a: str, text_b: str) -> float:
    a, b = set(shingles(text_a).tolist()), set(shingles(text_b).tolist())
    return len(a & b) / len(a | b) if a or b else 0.0


def candidate_pairs(sigs: np.ndarray) -> np.ndarray:
    """Pairs (i, j), i < j, that share at least one band (LSH), as an (n, 2) array."""
    n = len(sigs)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    found = []
    for band in range(BANDS):
        rows = sigs[:, band * ROWS:(band + 1) * ROWS].astype(np.uint64)
        key = np.zeros(n, dtype=np.uint64)
        for r in range(ROWS):
            key = key * np.uint64(0x9E3779B1) + rows[:, r]
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        boundaries = np.flatnonzero(np.diff(sorted_keys)) + 1
        starts = np.concatenate([[0], boundaries])
        ends = np.concatenate([boundaries, [n]])
        for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            if e - s > MAX_BUCKET:
                continue
            members = np.sort(order[s:e])
            i, j = np.triu_indices(len(members), k=1)
            found.append(np.stack([members[i], members[j]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)


def similar_pairs(sigs: np.ndarray, *, threshold: float = TEXT_THRESHOLD) -> list[tuple[int, int, float]]:
    pairs = candidate_pairs(sigs)
    if not len(pairs):
        return []
    scores = (sigs[pairs[:, 0]] == sigs[pairs[:, 1]]).mean(axis=1)
    keep = scores >= threshold
    return [(int(i), int(j), float(s)) for (i, j), s in zip(pairs[keep], scores[keep], strict=True)]


def matching_passages(text_a: str, text_b: str, *, min_chars: int = 12, limit: int = 4,
                      context: int = 15) -> list[list[str]]:
    """The longest passages the two texts share, each with a little context on both
    sides, as [passage in a, passage in b] for the side-by-side view."""
    matcher = difflib.SequenceMatcher(None, text_a, text_b, autojunk=False)
    blocks = sorted((b for b in matcher.get_matching_blocks() if b.size >= min_chars), key=lambda b: -b.size)
    out = []
    for block in blocks[:limit]:
        a0, b0 = max(0, block.a - context), max(0, block.b - context)
        out.append([text_a[a0:block.a + block.size + context], text_b[b0:block.b + block.size + context]])
    return out


def _signature_bytes(row: np.ndarray) -> bytes:
    return row.astype("<u4").tobytes()


def _logs_with_signatures() -> tuple[list[int], list[int], list[int], np.ndarray]:
    """(log ids, placement ids, student ids, signatures) of every log; signatures missing
    on a log are computed and stored (a revised log loses its signature)."""
    ids, placements, students, sigs = [], [], [], []
    missing: list[tuple[int, str]] = []
    rows = WeeklyLog.objects.values_list("pk", "placement_id", "placement__student_id", "signature").order_by("pk")
    for pk, placement_id, student_id, signature in rows.iterator(chunk_size=5000):
        ids.append(pk)
        placements.append(placement_id)
        students.append(student_id)
        if signature:
            sigs.append(np.frombuffer(bytes(signature), dtype="<u4"))
        else:
            sigs.append(None)
            missing.append((pk, len(ids) - 1))
    if missing:
        texts = dict(WeeklyLog.objects.filter(pk__in=[pk for pk, _ in missing]).values_list("pk", "text"))
        computed = signatures([texts[pk] for pk, _ in missing])
        updates = []
        for (pk, index), row in zip(missing, computed, strict=True):
            sigs[index] = row
            updates.append(WeeklyLog(pk=pk, signature=_signature_bytes(row)))
        WeeklyLog.objects.bulk_update(updates, ["signature"], batch_size=1000)
    matrix = np.vstack(sigs) if sigs else np.empty((0, NUM_PERM), dtype=np.uint32)
    return ids, placements, students, matrix


def text_flags_scan() -> int:
    ids, placements, students, sigs = _logs_with_signatures()
    pairs = similar_pairs(sigs)
    if not pairs:
        return 0
    wanted: list[tuple[int, int, float, str]] = []
    for i, j, score in pairs:
        if students[i] == students[j]:
            kind = IntegrityFlag.Kind.SELF_TEXT
            if placements[i] != placements[j]:
                kind = IntegrityFlag.Kind.SELF_TEXT
            wanted.append((ids[j], ids[i], score, kind))  # the later log repeats the earlier
        else:
            wanted.append((ids[i], ids[j], score, IntegrityFlag.Kind.PEER_TEXT))
            wanted.append((ids[j], ids[i], score, IntegrityFlag.Kind.PEER_TEXT))
    existing = set(IntegrityFlag.objects.filter(log__isnull=False, log_id__in={w[0] for w in wanted})
                   .values_list("kind", "log_id", "other_log_id"))
    new = [w for w in wanted if (w[3], w[0], w[1]) not in existing]
    if not new:
        return 0
    texts = dict(WeeklyLog.objects.filter(pk__in={w[0] for w in new} | {w[1] for w in new})
                 .values_list("pk", "text"))
    placement_of = dict(zip(ids, placements, strict=True))
    flags = [IntegrityFlag(kind=kind, log_id=a, other_log_id=b, placement_id=placement_of[a],
                           other_placement_id=placement_of[b], score=round(score, 3),
                           passages=matching_passages(texts[a], texts[b]))
             for a, b, score, kind in new]
    with transaction.atomic():
        IntegrityFlag.objects.bulk_create(flags, ignore_conflicts=True)
    return len(flags)


def _pairs_within(rows: list[dict], window: datetime.timedelta, differ: Iterable[str]) -> list[tuple[dict, dict]]:
    rows = sorted(rows, key=lambda r: r["at"])
    out = []
    for index, row in enumerate(rows):
        for other in rows[index + 1:]:
            if other["at"] - row["at"] > window:
                break
            if all(row[field] != other[field] for field in differ):
                out.append((row, other))
    return out


def checkin_flags_scan(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    rows = list(CheckIn.objects.filter(at__gte=now - CHECKIN_LOOKBACK).values(
        "pk", "placement_id", "placement__student_id", "placement__organization_id", "device_hash", "ip", "at"))
    by_device: dict[str, list[dict]] = defaultdict(list)
    by_address: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["device_hash"]:
            by_device[row["device_hash"]].append(row)
        if row["ip"]:
            by_address[row["ip"]].append(row)
    wanted: list[tuple[dict, dict, str]] = []
    for group in by_device.values():
        if len(group) > 1:
            wanted += [(a, b, IntegrityFlag.Kind.DEVICE)
                       for a, b in _pairs_within(group, DEVICE_WINDOW, ["placement__student_id"])]
    for group in by_address.values():
        if len(group) > 1:
            wanted += [(a, b, IntegrityFlag.Kind.ADDRESS) for a, b in _pairs_within(
                group, ADDRESS_WINDOW, ["placement__student_id", "placement__organization_id"])]
    flags = []
    for a, b, kind in wanted:
        for x, y in ((a, b), (b, a)):
            flags.append(IntegrityFlag(kind=kind, checkin_id=x["pk"], other_checkin_id=y["pk"],
                                       placement_id=x["placement_id"], other_placement_id=y["placement_id"],
                                       score=1.0))
    if not flags:
        return 0
    existing = set(IntegrityFlag.objects.filter(checkin_id__in={f.checkin_id for f in flags})
                   .values_list("kind", "checkin_id", "other_checkin_id"))
    new = [f for f in flags if (f.kind, f.checkin_id, f.other_checkin_id) not in existing]
    IntegrityFlag.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def integrity_scan() -> dict:
    return {"text_flags": text_flags_scan(), "checkin_flags": checkin_flags_scan()}
