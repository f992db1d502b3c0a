"""The career profile: uploads checked by content and size (nothing stored when not),
visibility, the smart summary, invitations, and the student's pages."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.errors import ApplicationError
from accounts.models import Membership, Role
from enterprises import services
from enterprises.career import smart_resume
from enterprises.models import CareerProfile, PortfolioItem
from enterprises.panels import HOME_PANELS, RESUME_SECTIONS
from tests.factories import UserFactory
from tests.radar.builders import make_student

from .builders import assert_constant_queries, make_enterprise, make_market, posting_data, publish


def _png(size=(20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def student(db):
    return make_market()[2]


def test_portfolio_accepts_real_images_and_pdfs(student):
    services.portfolio_item_add(actor=student.user, student=student, title="海报",
                                upload=SimpleUploadedFile("a.png", _png()))
    services.portfolio_item_add(actor=student.user, student=student, title="报告",
                                upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"))
    assert sorted(PortfolioItem.objects.values_list("kind", flat=True)) == ["image", "pdf"]


@pytest.mark.parametrize("name, content", [
    ("fake.png", b"MZ\x90\x00 this is an executable"),
    ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
    ("cut.pdf", b"%PDF-1.4\n1 0 obj<<>>"),
    ("fake.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100),
    ("empty.jpg", b""),
])
def test_an_upload_that_is_not_what_it_claims_is_400_and_nothing_stored(student, name, content):
    with pytest.raises(ApplicationError) as error:
        services.portfolio_item_add(actor=student.user, student=student, title="x",
                                    upload=SimpleUploadedFile(name, content))
    assert error.value.status_code == 400
    assert not PortfolioItem.objects.exists()


def test_a_photo_must_be_a_small_image(student, settings):
    with pytest.raises(ApplicationError):
        services.career_profile_update(actor=student.user, student=student, data={},
                                       photo=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n"))
    profile = services.career_profile_update(actor=student.user, student=student, data={"visibility": "partners"},
                                             photo=SimpleUploadedFile("p.png", _png()))
    assert profile.photo and profile.photo_content_type == "image/png" and profile.visibility == "partners"


def test_only_the_student_edits_and_bad_fields_are_field_errors(student):
    other = make_student(student.school_class)
    with pytest.raises(ApplicationError):
        services.career_profile_update(actor=other.user, student=student, data={"introduction": "x"})
    with pytest.raises(ApplicationError) as error:
        services.career_profile_update(actor=student.user, student=student, data={"visibility": "everyone"})
    assert "visibility" in error.value.extra
    with pytest.raises(ApplicationError) as error:
        services.career_profile_update(actor=student.user, student=student, data={"email": "not-an-email"})
    assert "email" in error.value.extra
    assert not CareerProfile.objects.filter(student=student, email="not-an-email").exists()


def test_smart_parts_come_from_the_data(student):
    smart = smart_resume(student=student)
    assert [t["code"] for t in smart["tags"]][0] == "ops"  # attainment 0.9, the strongest
    assert "90%" in smart["summary"]
    roles, _order, build = HOME_PANELS[0]
    assert Role.STUDENT in roles and build(student.user)["template"] == "enterprises/_home_panel.html"
    _order, section = RESUME_SECTIONS[0]
    assert section(student)["smart"]["tags"]


def test_invitation_by_email_link_creates_a_member(db, client, django_capture_on_commit_callbacks):
    hr = UserFactory(role=Role.ENTERPRISE, username="inv_hr")
    organization = make_enterprise(hr)
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/enterprises/organization/invite/", {"email": "new.hr@example.test", "title": "导师"})
    assert response.status_code == 302
    link = next(line for line in mail.outbox[-1].body.split() if "/enterprises/join/" in line)
    client.logout()
    path = link[link.index("/enterprises/join/"):]
    assert client.get(path).status_code == 200
    response = client.post(path, {"username": "new_hr", "display_name": "新同事", "password": "long-enough-1"})
    assert response.status_code == 302
    member = Membership.objects.get(organization=organization, user__username="new_hr")
    assert member.user.role == Role.ENTERPRISE and member.title == "导师" and member.user.email == "new.hr@example.test"
    assert client.get(path).status_code == 404  # used
    assert client.get("/enterprises/join/forged-token/").status_code == 404


def test_student_list_pages_have_a_fixed_query_count(db, client):
    admin = UserFactory(role=Role.SCHOOL_ADMIN, username="q_admin")
    hr = UserFactory(role=Role.ENTERPRISE, username="q_hr")
    organization = make_enterprise(hr)
    major, _klass, student = make_market()
    first = publish(services.posting_create(actor=hr, organization=organization, data=posting_data(major)), admin)
    services.application_create(actor=student.user, posting=first)
    client.force_login(student.user)

    def grow():
        for i in range(5):
            posting = publish(services.posting_create(actor=hr, organization=organization,
                                                      data=posting_data(major, title=f"岗位{i}")), admin)
            services.application_create(actor=student.user, posting=posting)

    assert_constant_queries(client, ["/enterprises/jobs/", "/enterprises/applications/"], grow)
