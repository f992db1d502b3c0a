"""Chart files written by concurrent renderers (the CI failure of stop 20: two gradebook
saves in one process rendered the same class chart at once; both threads used the same
temporary name, so one renamed the other's file away and the loser raised
FileNotFoundError, and an invalidation could delete a file still being written)."""

from __future__ import annotations

import threading

import pytest
from django.core.files.storage import default_storage

from students.radar import charts


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the filesystem storage follows the setting_changed signal
    return tmp_path


def test_writers_of_one_chart_and_an_invalidation_race_without_errors(media):
    name = charts.chart_name(subject="class-1", kind="radar", lang="en", digest="d", fmt="svg")
    payloads = [(b"<svg>%d</svg>" % i) * 2000 for i in range(8)]
    errors: list[BaseException] = []
    start = threading.Barrier(9)

    def writer(content):
        try:
            start.wait()
            for _ in range(25):
                charts._put(name, content)  # noqa: SLF001
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def invalidator():
        try:
            start.wait()
            for _ in range(25):
                charts.charts_invalidate(subject="class-1")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(p,)) for p in payloads] + [threading.Thread(target=invalidator)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    charts._put(name, payloads[0])  # noqa: SLF001
    # Whole files only, and no temporary file left behind by any writer.
    assert default_storage.open(name).read() == payloads[0]
    assert [p.name for p in (media / "radar-charts" / "class-1").iterdir()] == ["radar-en-d.svg"]
