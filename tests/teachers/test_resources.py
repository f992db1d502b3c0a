"""Shared resources: uploads checked by content and size, visibility, previews (PDF first
page, image, video poster), search and filters, downloads counted, ratings."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role
from teachers.models import Resource
from teachers.resources import services
from teachers.resources.previews import preview_render
from teachers.resources.selectors import resources_for_user
from tests.factories import UserFactory
from tests.radar.builders import make_major
from tests.teachers import resource_files as files

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {role: UserFactory(role=role, username=f"res_{role}") for role in Role.values}


def _upload(actor, name, data, kind="courseware", visibility="school", **kw):
    return services.resource_upload(actor=actor, upload=SimpleUploadedFile(name, data), title=kw.pop("title", name),
                                    kind=kind, visibility=visibility, **kw)


@pytest.mark.parametrize(("name", "data", "kind", "code"), [
    ("slides.docx", files.pdf_bytes(), "courseware", "mismatch"),         # a PDF named .docx
    ("clip.mp4", files.png_bytes(), "video", "mismatch"),                 # an image named .mp4
    ("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "courseware", "nul_bytes"),  # an executable
    ("data.csv", "名称,金额\n".encode("gbk") + b"\xff\xfe", "dataset", "unknown_format"),
    ("data.json", b"{not json", "dataset", "bad_json"),
    ("broken.zip", b"PK\x03\x04garbage", "case", "bad_zip"),
    ("notes.txt", b"plain notes", "video", "format_for_kind"),
    ("empty.pdf", b"", "courseware", "empty"),
])
def test_uploads_that_are_not_what_they_claim_are_refused(people, name, data, kind, code):
    with pytest.raises(ApplicationError) as exc:
        _upload(people["teacher"], name, data, kind=kind)
    assert exc.value.code == code
    assert not Resource.objects.exists()


def test_size_limit_is_413(people, settings):
    settings.RESOURCE_MAX_BYTES = {"courseware": 1000}
    with pytest.raises(ApplicationError) as exc:
        _upload(people["teacher"], "big.pdf", files.pdf_bytes() + b" " * 2000)
    assert exc.value.status_code == 413 and not Resource.objects.exists()


def test_accepted_formats_and_who_uploads(people, tmp_path):
    major = make_major(competencies=("a",))
    comp = major.competencies.get()
    ok = [_upload(people["teacher"], "slides.pdf", files.pdf_bytes(), competencies=[comp], major=major),
          _upload(people["enterprise"], "case.docx", files.docx_bytes(), kind="case", visibility="partners"),
          _upload(people["industry"], "orders.zip", files.zip_bytes(), kind="dataset", visibility="public"),
          _upload(people["teacher"], "orders.csv", "单号,金额\n1,9.9\n".encode(), kind="dataset"),
          _upload(people["teacher"], "clip.mp4", files.mp4_bytes(tmp_path), kind="video")]
    assert [r.content_type for r in ok] == [
        "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip", "text/csv", "video/mp4"]
    with pytest.raises(NotPermitted):
        _upload(people["student"], "s.pdf", files.pdf_bytes())
    with pytest.raises(ApplicationError):  # partners cannot hide a resource from partners
        _upload(people["enterprise"], "c.pdf", files.pdf_bytes(), kind="case", visibility="school")
    with pytest.raises(ApplicationError):  # competency of another major
        _upload(people["teacher"], "x.pdf", files.pdf_bytes(), competencies=[comp], major=make_major())


def test_previews_pdf_first_page_image_and_video_poster(people, tmp_path):
    from PIL import Image

    for name, data, kind in (("slides.pdf", files.pdf_bytes(), "courseware"),
                             ("photo.png", files.png_bytes(), "courseware"),
                             ("clip.mp4", files.mp4_bytes(tmp_path), "video")):
        resource = _upload(people["teacher"], name, data, kind=kind)
        assert preview_render(resource=resource), name
        resource.refresh_from_db()
        with resource.preview.open("rb") as fh:
            image = Image.open(fh)
            assert image.format == "JPEG" and image.width > 0
    pdf = Resource.objects.get(original_name="slides.pdf")
    with pdf.preview.open("rb") as fh:
        pixels = Image.open(fh).convert("RGB").getcolors(1 << 16)
    assert len(pixels) > 2  # the page is rendered, not blank
    dataset = _upload(people["teacher"], "orders.csv", b"a,b\n1,2\n", kind="dataset")
    assert preview_render(resource=dataset) is False


def test_visibility_search_downloads_and_ratings(client, people):
    school = _upload(people["teacher"], "school.pdf", files.pdf_bytes(), title="店铺运营手册 school only")
    partners = _upload(people["teacher"], "partners.pdf", files.pdf_bytes(), visibility="partners",
                       title="Live-stream case for partners")
    public = _upload(people["teacher"], "public.csv", b"a\n1\n", kind="dataset", visibility="public",
                     title="Public data")
    services.resource_review(actor=people["school_admin"], resource=public, approve=True)  # "everyone" waits for it
    assert resources_for_user(user=people["enterprise"]).count() == 2
    assert resources_for_user(user=people["student"]).count() == 3
    assert [r.title for r in resources_for_user(user=people["student"], q="运营")] == [school.title]
    assert resources_for_user(user=people["student"], kind="dataset").count() == 1
    client.force_login(people["enterprise"])
    assert client.get(reverse("teachers:resource_detail", args=[school.pk])).status_code == 404
    assert client.get(reverse("teachers:resource_download", args=[school.pk])).status_code == 404
    response = client.get(reverse("teachers:resource_download", args=[partners.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.get(reverse("teachers:resource_download", args=[partners.pk]))
    partners.refresh_from_db()
    assert partners.downloads == 2
    assert client.post(reverse("teachers:resource_rate", args=[partners.pk]), {"stars": 4}).status_code == 302
    assert client.post(reverse("teachers:resource_rate", args=[partners.pk]), {"stars": 9}).status_code == 400
    client.force_login(people["industry"])
    client.post(reverse("teachers:resource_rate", args=[partners.pk]), {"stars": 1})
    client.post(reverse("teachers:resource_rate", args=[partners.pk]), {"stars": 2})  # a change, not a second vote
    partners.refresh_from_db()
    assert (partners.rating_count, partners.rating) == (2, 3.0)
    client.force_login(people["teacher"])
    assert client.post(reverse("teachers:resource_rate", args=[partners.pk]), {"stars": 5}).status_code == 400


def test_upload_page_refuses_a_disguised_file(client, people):
    client.force_login(people["teacher"])
    response = client.post(reverse("teachers:resource_upload"), {
        "title": "Slides", "kind": "courseware", "visibility": "school",
        "file": SimpleUploadedFile("slides.pptx", files.pdf_bytes())})
    assert response.status_code == 400 and b"content is PDF" in response.content
    assert not Resource.objects.exists()
    response = client.post(reverse("teachers:resource_upload"), {
        "title": "Slides", "kind": "courseware", "visibility": "school",
        "file": SimpleUploadedFile("slides.pdf", files.pdf_bytes())})
    assert response.status_code == 302 and Resource.objects.count() == 1


@pytest.mark.celery_worker
@pytest.mark.slow
def test_worker_renders_the_pdf_preview(celery_worker_process, people):
    from tests.conftest import wait_for

    resource = _upload(people["teacher"], "slides.pdf", files.pdf_bytes())  # atomic: commits, then enqueues

    def rendered():
        resource.refresh_from_db()
        return bool(resource.preview)

    wait_for(rendered, timeout=90, message="the worker to render the preview")
    assert "resource_preview_task" in celery_worker_process.read_text()
