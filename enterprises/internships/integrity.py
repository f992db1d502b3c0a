"""Copied internship work, found by a worker (docs/internships.md#integrity).

Logs: each text is normalised (lower case, full-width ASCII as ASCII, only CJK characters, Latin letters and
digits kept) and cut into character shingles: 3 characters for a mostly Chinese text,
5 for any other (Chinese characters carry about a word each; Latin letters need longer
shingles before two unrelated texts stop sharing them). A one-permutation MinHash
signature of NUM_PERM bins estimates the Jaccard similarity of two texts' shingle sets; LSH with
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

# One-permutation MinHash (Li, Owen & Zhang 2012): each shingle is hashed once; the top
# log2(NUM_PERM) bits choose its bin, the rest is its value, and a signature keeps the
# smallest value of each bin. Same estimate as NUM_PERM separate permutations at 1/NUM_PERM
# of the work. An empty bin (a very short text) holds EMPTY, which never counts as a match.
_BIN_BITS = NUM_PERM.bit_length() - 1
_MULT = np.uint64(0x9E3779B97F4A7C15)
EMPTY = np.uint32(0xFFFFFFFF)


# Full-width ASCII (Ａ-Ｚ, ａ-ｚ, ０-９) as plain ASCII: what NFKC does for the characters kept,
# without NFKC's cost on every character.
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def _halfwidth(match: re.Match) -> str:
    return "".join(chr(ord(c) - 0xFEE0) for c in match.group())
_KEEP = re.compile(r"[^\x000-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def normalise(text: str) -> str:
    return _KEEP.sub("", _FULLWIDTH.sub(_halfwidth, (text or "").replace("\x00", "")).lower())


def _rolling(codes: np.ndarray, k: int) -> np.ndarray:
    """Polynomial hash (mod 2^32) of the k-gram starting at each position (0 past the end)."""
    h = np.zeros(len(codes), dtype=np.uint64)
    n = len(codes) - k + 1
    if n <= 0:
        return h
    acc = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        acc = (acc * np.uint64(1_000_003) + codes[j:j + n]) & np.uint64(0xFFFFFFFF)
    h[:n] = acc
    return h


def _shingle_arrays(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(shingle hashes, index of the text each belongs to) for a batch of texts, in a few
    array operations over the whole batch (the texts joined by NUL, never inside a shingle)."""
    joined = "\x00".join(t.replace("\x00", "") for t in texts)
    joined = _KEEP.sub("", _FULLWIDTH.sub(_halfwidth, joined).lower())
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    seps = np.flatnonzero(codes == 0)
    starts = np.concatenate([[0], seps + 1]).astype(np.int64)
    ends = np.concatenate([seps, [len(codes)]]).astype(np.int64)
    lengths = ends - starts
    cjk = np.concatenate([[0], np.cumsum(codes >= 0x3400)])
    cjk_counts = cjk[ends] - cjk[starts]
    k = np.where((cjk_counts * 2 >= lengths) | (lengths < K_LATIN), K_CJK, K_LATIN)
    counts = np.where(lengths >= K_CJK, lengths - k + 1, 0)
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(lengths), dtype=np.int64), counts)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    positions = np.repeat(starts, counts) + offsets
    latin = np.repeat(k == K_LATIN, counts)
    values = np.where(latin, _rolling(codes, K_LATIN)[positions], _rolling(codes, K_CJK)[positions])
    return values, owner


def shingles(text: str) -> np.ndarray:
    """The distinct shingle hashes of a text."""
    return np.unique(_shingle_arrays([text])[0])


def signatures(texts: Sequence[str], *, chunk: int = 4096) -> np.ndarray:
    """Signatures, one row of NUM_PERM uint32 per text (vectorised per chunk of texts)."""
    out = np.full((len(texts), NUM_PERM), EMPTY, dtype=np.uint32)
    for start in range(0, len(texts), chunk):
        flat, owner = _shingle_arrays(texts[start:start + chunk])
        if not len(flat):
            continue
        mixed = ((flat * _MULT) >> np.uint64(32)) & np.uint64(0xFFFFFFFF)  # a 32-bit hash of the shingle
        bins = mixed >> np.uint64(32 - _BIN_BITS)
        values = mixed & np.uint64((1 << (32 - _BIN_BITS)) - 1)
        keyed = np.sort((((owner.astype(np.uint64) << np.uint64(_BIN_BITS)) | bins) << np.uint64(32)) | values)
        slots = keyed >> np.uint64(32)
        first = np.concatenate([[True], slots[1:] != slots[:-1]])
        slots, mins = slots[first], (keyed[first] & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        rows = (slots >> np.uint64(_BIN_BITS)).astype(np.int64) + start
        cols = (slots & np.uint64(NUM_PERM - 1)).astype(np.int64)
        out[rows, cols] = mins
    return out


def _agreement(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Share of the bins where the signatures agree, among the bins either one filled."""
    filled = (a != EMPTY) | (b != EMPTY)
    same = (a == b) & (a != EMPTY)
    counts = filled.sum(axis=-1)
    return np.where(counts > 0, same.sum(axis=-1) / np.maximum(counts, 1), 0.0)


def estimated_similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(_agreement(a, b))


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


def similar_pairs(sigs: np.ndarray, *, threshold: float = TEXT_THRESHOLD,
                  pairs: np.ndarray | None = None) -> list[tuple[int, int, float]]:
    pairs = candidate_pairs(sigs) if pairs is None else pairs
    if not len(pairs):
        return []
    scores = _agreement(sigs[pairs[:, 0]], sigs[pairs[:, 1]])
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
