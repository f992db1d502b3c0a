"""The malformed-upload corpus against every upload endpoint (issue 17 §5): every file
gets a 4xx with a reason, never a 5xx, and nothing is left on disk, in the temp
directory or in the database."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role
from deepfake.models import DetectionJob, Media
from students.competitions.models import Competition, CompetitionEntry
from teachers.models import Enrolment, GradeChange
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_offering, make_program, make_student, make_term
from tests.security.corpus import build_corpus

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    samples = build_corpus(tmp_path_factory.mktemp("corpus"))
    assert len(samples) >= 200
    return samples


def _multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    """The body as a hostile client sends it: the file name byte for byte."""
    boundary = "corpusboundary7f3a"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    quoted = filename.replace('"', "%22")
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file_field"; filename="{quoted}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode("utf-8", "surrogatepass") + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _temp_uploads() -> set[str]:
    tmp = Path(tempfile.gettempdir())
    return {p.name for p in tmp.iterdir() if ".upload" in p.name or p.name.startswith("chanjiao-probe-")}


def _has_reason(response) -> bool:
    if response["Content-Type"].startswith("application/json"):
        return bool(response.json().get("error", {}).get("message"))
    body = response.content.decode(errors="replace")
    return any(marker in body for marker in ('role="alert"', "alert-danger", 'id="request-refused"',
                                             'id="import-errors"'))


@pytest.fixture
def world(shipped_model):
    teacher = UserFactory(role=Role.TEACHER, username="corpus_teacher")
    major = make_major(code="corpus", competencies=("a",))
    make_program(major, 2024, [("CP1", 2, 1, {"a": 1})])
    school_class = make_class(major, 2024, code="corpus-class")
    student = make_student(school_class, number="2024660001")
    offering = make_offering("CP1", make_term(), school_class, teacher=teacher)
    competition = Competition.objects.create(name="Corpus cup", level=Competition.Level.values[0],
                                             held_on=datetime.date(2025, 5, 1))
    return {"teacher": teacher, "student": student, "offering": offering, "competition": competition}


def _endpoints(world):
    rank = CompetitionEntry.Rank.values[0]
    return {
        "deepfake-api": (world["student"].user, "/api/v1/deepfake/jobs/", {}, "file"),
        "deepfake-page": (world["student"].user, "/deepfake/upload/", {"aggregation": "mean"}, "file"),
        "gradebook-import": (world["teacher"], f"/teachers/offerings/{world['offering'].pk}/gradebook/import/",
                             {}, "file"),
        "competition-entry": (world["student"].user, "/students/competitions/entries/new/",
                              {"competition": str(world["competition"].pk), "rank": rank}, "certificate"),
    }


def _database_state(world):
    return (Media.objects.count(), DetectionJob.objects.count(), CompetitionEntry.objects.count(),
            GradeChange.objects.count(), Enrolment.objects.filter(score__isnull=False).count())


@pytest.mark.parametrize("endpoint", ["deepfake-api", "deepfake-page", "gradebook-import", "competition-entry"])
def test_every_malformed_file_is_refused_with_a_reason_and_leaves_nothing(world, corpus, endpoint):
    user, url, fields, field_name = _endpoints(world)[endpoint]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    media_before, temp_before = _files_under(Path(settings.MEDIA_ROOT)), _temp_uploads()
    db_before = _database_state(world)
    problems = []
    for sample in corpus:
        if endpoint == "competition-entry" and sample.name in (".", ".."):
            # Django drops a file part named "." or ".." before any view sees it; the
            # certificate is optional, so what arrives is a valid entry without one.
            continue
        body, content_type = _multipart(fields, sample.name, sample.content)
        body = body.replace(b'name="file_field"', f'name="{field_name}"'.encode())
        response = client.generic("POST", url, body, content_type=content_type)
        if not 400 <= response.status_code < 500:
            problems.append(f"{sample.id}: {response.status_code}")
        elif not _has_reason(response):
            problems.append(f"{sample.id}: {response.status_code} without a reason")
    assert not problems, f"{endpoint}: " + ", ".join(problems)
    assert _database_state(world) == db_before
    assert _files_under(Path(settings.MEDIA_ROOT)) == media_before
    assert _temp_uploads() <= temp_before
