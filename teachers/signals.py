"""Signals the teachers app sends for apps above it (it never imports them).

`grades_changed` is sent inside the transaction that changed final grades, with
`user_ids`: the students whose grades changed. students.signal_handlers recomputes
their radar synchronously and re-renders charts after commit."""

from django.dispatch import Signal

grades_changed = Signal()
