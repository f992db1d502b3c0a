"""Competition entries: double submit and certificate checks (issue 17 §4)."""

from __future__ import annotations

import datetime
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections  # noqa: F401 - connection: the skipif condition
from django.test import Client

from students.competitions.models import Competition, CompetitionEntry
from tests.growth import factories as g
from tests.security.builders import jpeg, png

URL = "/students/competitions/entries/new/"


def _certificates() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "certificates"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _competition():
    return Competition.objects.create(name="Skills cup", level=Competition.Level.values[0],
                                      held_on=datetime.date(2025, 5, 1))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_twelve_parallel_identical_entries_make_one_row_one_file_and_no_500():
    student = g.student()
    competition = _competition()
    before = _certificates()
    data = jpeg(200, 140)
    statuses: list[int] = []
    barrier = threading.Barrier(12)

    def submit():
        client = Client()
        client.force_login(student.user)
        barrier.wait(timeout=30)
        try:
            response = client.post(URL, {"competition": competition.pk, "rank": CompetitionEntry.Rank.values[0],
                                         "certificate": SimpleUploadedFile("c.jpg", data, "image/jpeg")})
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(set(statuses)) == [302, 409], statuses
    assert statuses.count(302) == 1
    assert CompetitionEntry.objects.filter(student=student).count() == 1
    assert len(_certificates() - before) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), [
    ("half.jpg", jpeg(400, 300)[:1500]),
    ("bomb.png", png(12000, 12000, color=False)),
    ("cut.png", png(300, 300, rows=40)),
])
def test_certificates_are_decoded_fully_and_refused_in_the_readers_language(client, name, content):
    student = g.student()
    competition = _competition()
    before = _certificates()
    client.force_login(student.user)
    response = client.post(URL, {"competition": competition.pk, "rank": CompetitionEntry.Rank.values[0],
                                 "certificate": SimpleUploadedFile(name, content, "image/jpeg")},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    body = response.content.decode()
    assert "证书图片" in body  # the reason, in Chinese
    assert not CompetitionEntry.objects.exists()
    assert _certificates() == before


@pytest.mark.django_db
def test_viewing_a_resume_writes_nothing(client):
    from students.resume.models import ResumeSettings

    student = g.student()
    client.force_login(student.user)
    assert client.get("/students/resume/").status_code == 200
    admin = Client()
    from accounts.models import Role
    from tests.factories import UserFactory

    admin.force_login(UserFactory(role=Role.SCHOOL_ADMIN))
    assert admin.get(f"/students/resumes/{student.student_number}/").status_code == 200
    assert not ResumeSettings.objects.exists()
