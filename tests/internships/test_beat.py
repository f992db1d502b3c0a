"""Beat tasks with a frozen clock: reminders once per due week; placements advance."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Notification
from enterprises.internships import tasks
from enterprises.models import Placement, WeeklyLog

from .builders import LOG_TEXT, make_placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock: django.utils.timezone.now (and so localdate, auto_now) returns `at`."""

    @contextlib.contextmanager
    def travel(at: datetime.datetime):
        with monkeypatch.context() as patch:
            patch.setattr(timezone, "now", lambda: at)
            yield

    return travel


def test_the_beat_schedule_runs_the_internship_tasks():
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"enterprises.internships.tasks.logs_remind_due_task", "enterprises.internships.tasks.placements_advance_task",
            "enterprises.internships.tasks.integrity_scan_task"} <= names


def test_reminders_go_once_per_missing_week_with_a_frozen_clock(clock):
    starts = datetime.date(2026, 3, 2)  # a Monday
    with clock(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)):
        placement = make_placement(starts_on=starts, weeks=4)
        assert placement.status == "planned"
    reminders = Notification.objects.filter(recipient=placement.student.user, title__startswith="Your internship log")
    with clock(datetime.datetime(2026, 3, 5, 10, tzinfo=datetime.UTC)):
        tasks.placements_advance_task()
        assert Placement.objects.get(pk=placement.pk).status == "active"
        assert tasks.logs_remind_due_task() == 0  # week 1 is not due before Sunday
    with clock(datetime.datetime(2026, 3, 8, 10, tzinfo=datetime.UTC)):
        assert tasks.logs_remind_due_task() == 1  # due today, not written
        assert tasks.logs_remind_due_task() == 0  # once
        assert reminders.get().params == {"week": 1, "due": "2026-03-08"}
    with clock(datetime.datetime(2026, 3, 14, 10, tzinfo=datetime.UTC)):
        WeeklyLog.objects.create(placement=placement, week=2, due_on=placement.week_due(2), text=LOG_TEXT,
                                 submitted_at=timezone.now())
    with clock(datetime.datetime(2026, 3, 15, 10, tzinfo=datetime.UTC)):
        assert tasks.logs_remind_due_task() == 0  # week 2 was written
    with clock(datetime.datetime(2026, 3, 23, 10, tzinfo=datetime.UTC)):
        assert tasks.logs_remind_due_task() == 1  # week 3 missing
    with clock(datetime.datetime(2026, 4, 2, 10, tzinfo=datetime.UTC)):
        tasks.placements_advance_task()
        assert Placement.objects.get(pk=placement.pk).status == "finished"
        assert tasks.logs_remind_due_task() == 0  # finished placements are not reminded
    assert reminders.count() == 2
