"""Parsing of a prediction CSV: ``id,probability`` with exactly one row per test image."""

from __future__ import annotations

import csv
import io
import math

from accounts.errors import ApplicationError

MAX_CSV_BYTES = 2 * 1024 * 1024
ID_COLUMNS = ("id", "item_id", "image")
PROBABILITY_COLUMNS = ("probability", "prob", "score", "p_fake")


def _error(message: str) -> ApplicationError:
    return ApplicationError(message, code="invalid_predictions")


def parse_predictions(data: bytes, expected_ids: set[str]) -> dict[str, float]:
    if len(data) > MAX_CSV_BYTES:
        raise _error(f"The CSV is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB.")
    if b"\x00" in data:
        raise _error("The CSV contains NUL bytes.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _error("The CSV is not UTF-8 text.") from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    id_col = next((header.index(c) for c in ID_COLUMNS if c in header), None)
    p_col = next((header.index(c) for c in PROBABILITY_COLUMNS if c in header), None)
    if id_col is None or p_col is None:
        raise _error("The CSV needs a header with the columns id,probability.")
    predictions: dict[str, float] = {}
    for line, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) <= max(id_col, p_col):
            raise _error(f"Line {line}: too few columns.")
        item_id, raw = row[id_col].strip(), row[p_col].strip()
        if item_id not in expected_ids:
            raise _error(f"Line {line}: {item_id[:40]!r} is not an id of the test set.")
        if item_id in predictions:
            raise _error(f"Line {line}: {item_id!r} appears twice.")
        try:
            value = float(raw)
        except ValueError:
            raise _error(f"Line {line}: {raw[:20]!r} is not a number.") from None
        if math.isnan(value) or not 0.0 <= value <= 1.0:
            raise _error(f"Line {line}: the probability {raw[:20]} is outside 0..1.")
        predictions[item_id] = value
    missing = expected_ids - predictions.keys()
    if missing:
        raise _error(f"{len(missing)} test image(s) have no prediction, e.g. {sorted(missing)[0]!r}.")
    return predictions
