"""The internship KPIs: SQL-grouped, constant queries, the right numerator and denominator."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.dashboard import Scope, kpi_registry
from tests.radar.builders import make_student

from .builders import make_placement

pytestmark = pytest.mark.django_db


def test_internship_rate_and_practice_bases():
    placement = make_placement()
    klass = placement.student.school_class
    make_student(klass)  # not placed
    make_placement(organization=placement.organization, school_class=klass, mentor=placement.mentor,
                   tutor=placement.tutor, student=make_student(klass),
                   starts_on=timezone.localdate() + datetime.timedelta(days=30))  # planned: not counted
    kpis = kpi_registry()
    year = timezone.localdate().year
    with CaptureQueriesContext(connection) as ctx:
        rate = kpis["internship_rate"].figures(Scope(year=year), None)[None]
        by_major = kpis["internship_rate"].figures(Scope(year=year), "major")
        by_class = kpis["internship_rate"].figures(Scope(year=year), "class")
    assert len(ctx.captured_queries) == 3
    assert (rate.numerator, rate.denominator) == (1, 3)
    assert by_major[klass.major.code].numerator == 1 and by_class[klass.pk].denominator == 3
    rows = kpis["internship_rate"].rows(Scope(year=year, class_id=klass.pk))
    assert [r.value for r in rows].count(placement.organization.name) == 1
    bases = kpis["practice_bases"].figures(Scope(year=year), None)[None]
    assert bases.value == 1 and bases.breakdown["partner"] == 1 and bases.breakdown["practice_base"] == 0
    assert kpis["practice_bases"].figures(Scope(year=year - 3), None)[None].value == 0
    assert kpis["practice_bases"].figures(Scope(year=year), "class")[klass.pk].value == 1
