import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.errors import ApplicationError
from accounts.models import Role
from students.competitions import services as competitions
from students.models import CompetitionEntry
from students.points import selectors as point_reads
from teachers.models import Competency
from tests.factories import UserFactory
from tests.growth import factories as f

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), "red").save(buf, "PNG")  # a scan-like certificate
    return buf.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setup(teacher_user):
    klass = f.school_class(code="C1", head_teacher=teacher_user)
    s = f.student(klass=klass)
    competition = competitions.competition_create(
        actor=teacher_user, name="全国职业院校技能大赛", level="national", held_on=datetime.date(2025, 5, 1),
        term=f.term(), competencies=[Competency.objects.get(code="data")])
    return s, competition


def test_verified_award_adds_points_with_mapped_competency(setup, teacher_user):
    s, competition = setup
    entry = competitions.entry_submit(actor=s.user, competition=competition, rank="second",
                                      certificate=SimpleUploadedFile("whatever.exe", png_bytes()))
    assert entry.certificate.name.endswith(".png") and "whatever" not in entry.certificate.name
    assert point_reads.points_total_for_student(student=s) == 0  # nothing counts before verification
    competitions.entry_review(actor=teacher_user, entry=entry, approve=True)
    assert point_reads.points_total_for_student(student=s) == 80
    granted = s.point_entries.get()
    assert granted.competency.code == "data" and granted.reference == f"competition-entry:{entry.pk}"
    with pytest.raises(ApplicationError):
        competitions.entry_review(actor=teacher_user, entry=entry, approve=True)
    assert point_reads.points_total_for_student(student=s) == 80


def test_other_teacher_cannot_verify_and_rejection_gives_nothing(setup, teacher_user):
    s, competition = setup
    entry = competitions.entry_submit(actor=s.user, competition=competition, rank="first", certificate=None)
    with pytest.raises(ApplicationError):
        competitions.entry_review(actor=UserFactory(username="t2", role=Role.TEACHER), entry=entry, approve=True)
    competitions.entry_review(actor=teacher_user, entry=entry, approve=False, note="certificate unreadable")
    assert CompetitionEntry.objects.get().status == "rejected"
    assert point_reads.points_total_for_student(student=s) == 0


@pytest.mark.parametrize("name,content,code", [
    ("cert.pdf", b"MZ\x90\x00 not a pdf", "certificate_type"),
    ("cert.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "certificate_invalid"),
    ("cert.pdf", b"%PDF-1.4 truncated", "certificate_invalid"),
    ("cert.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"%%EOF", "certificate_too_large"),
])
def test_certificate_is_validated_by_content(setup, name, content, code):
    s, competition = setup
    with pytest.raises(ApplicationError) as exc:
        competitions.entry_submit(actor=s.user, competition=competition, rank="first",
                                  certificate=SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert exc.value.code == code


def test_certificate_download_only_for_owner_head_teacher_and_admin(client, setup, teacher_user):
    s, competition = setup
    entry = competitions.entry_submit(actor=s.user, competition=competition, rank="first",
                                      certificate=SimpleUploadedFile("c.pdf", PDF))
    url = reverse("students:entry_certificate", args=[entry.pk])
    client.force_login(s.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(f.student().user)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(username="t3", role=Role.TEACHER))
    assert client.get(url).status_code == 404  # not theirs: as for an entry that does not exist
    client.force_login(teacher_user)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(username="hr9", role=Role.ENTERPRISE))
    assert client.get(url).status_code == 403


def test_upload_through_the_page(client, setup):
    s, competition = setup
    client.force_login(s.user)
    response = client.post(reverse("students:entry_submit"), {
        "competition": competition.pk, "rank": "third", "certificate": SimpleUploadedFile("c.png", png_bytes())})
    assert response.status_code == 302
    assert CompetitionEntry.objects.get().certificate_type == "image/png"


def test_review_list_query_count_is_constant(client, setup, teacher_user):
    s, competition = setup

    def count():
        client.force_login(teacher_user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("students:awards_review")).status_code == 200
        return len(ctx.captured_queries)

    competitions.entry_submit(actor=s.user, competition=competition, rank="first", certificate=None)
    one = count()
    klass = s.school_class
    for _ in range(5):
        other = f.student(klass=klass)
        competitions.entry_submit(actor=other.user, competition=competition, rank="third", certificate=None)
    assert count() == one
