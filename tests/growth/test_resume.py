import contextlib
import re
import zlib

import pytest
from django.urls import reverse

from accounts.models import Role
from students.models import CompetencyAttainment, ResumeSettings
from students.points import services as points
from students.resume import services as resume
from teachers.models import Competency
from tests.factories import UserFactory
from tests.growth import factories as f

pytestmark = pytest.mark.django_db


def pdf_text_bytes(pdf: bytes) -> bytes:
    """All content streams of the PDF, inflated (the text we search in)."""
    import base64

    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)(?:\r?\n)?endstream", pdf, re.S):
        data = match.group(1).strip()
        if data.endswith(b"~>"):  # reportlab: /ASCII85Decode then /FlateDecode
            data = base64.a85decode(data[:-2].replace(b"\n", b"").replace(b"\r", b""))
        with contextlib.suppress(zlib.error):
            data = zlib.decompress(data)
        out.append(data)
    return b"\n".join(out)


def pdf_strings(pdf: bytes) -> bytes:
    """The bytes of every literal string shown in the content streams, escapes decoded
    (a CID-font string is UCS-2 big-endian), joined by NUL pairs."""
    text = pdf_text_bytes(pdf)
    decoded = []
    for match in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", text, re.S):
        raw = match.group(1)
        out = bytearray()
        i = 0
        while i < len(raw):
            ch = raw[i]
            if ch == 0x5C and i + 1 < len(raw):
                nxt = raw[i + 1:i + 4]
                octal = re.match(rb"[0-7]{1,3}", nxt)
                if octal:
                    out.append(int(octal.group(0), 8) & 0xFF)
                    i += 1 + len(octal.group(0))
                    continue
                out.append({ord("n"): 10, ord("r"): 13, ord("t"): 9}.get(raw[i + 1], raw[i + 1]))
                i += 2
                continue
            out.append(ch)
            i += 1
        decoded.append(bytes(out))
    return b"\0\0".join(decoded)


def has_text(pdf: bytes, text: str) -> bool:
    return text.encode("utf-16-be") in pdf_strings(pdf)


@pytest.fixture
def student():
    s = f.student(name="王小明")
    points.points_grant(actor=None, student=s, source="teacher_award", amount=12, reason="r", term=f.term())
    for comp, value in zip(Competency.objects.filter(major=s.major).order_by("order"), (0.8, 0.5, 0.3), strict=True):
        CompetencyAttainment.objects.create(student=s, competency=comp, attainment=value)
    ResumeSettings.objects.create(student=s, public_sections=["profile", "awards"], headline="数据分析方向")
    return s


def test_share_link_shows_only_public_sections_and_404_after_revoke(client, student):
    resume.resume_share_create(actor=student.user, student=student)
    token = ResumeSettings.objects.get(student=student).share_token
    assert len(token) >= 40
    url = reverse("students:resume_shared", args=[token])
    html = client.get(url).content.decode()  # anonymous
    assert "王小明" in html and 'id="section-profile"' in html and 'id="section-awards"' in html
    for hidden in ("radar", "growth", "ranking", "projects"):
        assert f'id="section-{hidden}"' not in html
    assert "radar-svg" not in html
    # The shared PDF has no hidden section either.
    pdf = client.get(reverse("students:resume_shared_pdf", args=[token])).content
    assert has_text(pdf, "王小明") and has_text(pdf, "数据分析方向") and not has_text(pdf, "积分")
    # Rotating makes the old link 404; revoking makes the new one 404.
    resume.resume_share_create(actor=student.user, student=student)
    assert client.get(url).status_code == 404
    new_token = ResumeSettings.objects.get(student=student).share_token
    assert client.get(reverse("students:resume_shared", args=[new_token])).status_code == 200
    resume.resume_share_revoke(actor=student.user, student=student)
    assert client.get(reverse("students:resume_shared", args=[new_token])).status_code == 404
    assert client.get(reverse("students:resume_shared_pdf", args=[new_token])).status_code == 404
    assert client.get(reverse("students:resume_shared", args=["x" * 43])).status_code == 404


def test_owner_sees_everything_and_downloads_a_pdf_with_their_name(client, student):
    client.force_login(student.user)
    html = client.get(reverse("students:resume")).content.decode()
    for section in ("profile", "radar", "growth", "ranking", "awards", "projects", "internships", "evaluations"):
        assert f'id="section-{section}"' in html
    assert "radar-svg" in html
    response = client.get(reverse("students:resume_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    pdf = response.content
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"STSong-Light" in pdf
    # CID font text is written as UCS-2 big-endian code units.
    assert has_text(pdf, "王小明")


def test_settings_update_and_enterprise_visibility(client, student):
    hr = UserFactory(username="hr_r", role=Role.ENTERPRISE)
    client.force_login(hr)
    detail = reverse("students:student_resume", args=[student.student_number])
    assert client.get(detail).status_code == 404
    assert student.student_number not in client.get(reverse("students:resume_browse")).content.decode()
    client.force_login(student.user)
    client.post(reverse("students:resume"), {"public_sections": ["profile", "radar"], "visible_to_enterprises": "on",
                                             "headline": "h"})
    client.force_login(hr)
    assert student.student_number in client.get(reverse("students:resume_browse")).content.decode()
    html = client.get(detail).content.decode()
    assert 'id="section-radar"' in html and 'id="section-growth"' not in html
    assert client.get(reverse("students:student_resume_pdf", args=[student.student_number])).status_code == 200


def test_student_with_nothing_gets_graceful_empty_sections(client):
    s = f.student()
    client.force_login(s.user)
    html = client.get(reverse("students:resume")).content.decode()
    assert 'id="section-projects"' in html
    assert client.get(reverse("students:resume_pdf")).content.startswith(b"%PDF-")
