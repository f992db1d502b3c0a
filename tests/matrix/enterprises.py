"""Talent market (issue 10): enterprise A (world "enterprise", its administrator) owns a
published posting with the student's application, a draft and a posting awaiting
review; enterprise B ("other_enterprise") owns nothing of A's and must get 404 on
it. The student's resume is hidden, so only A (an applicant's enterprise) finds them."""

from __future__ import annotations

import datetime

from . import LOGIN_REDIRECT, ROLES, Case, World, api, page

ALL = ROLES


def market_world(world: World) -> dict:
    def build():
        from django.core.files.base import ContentFile

        from accounts.models import Membership, Organization
        from enterprises import services
        from enterprises.models import CareerProfile, Invitation, PortfolioItem
        from tests.enterprises.builders import make_enterprise, posting_data
        from tests.radar.builders import make_class, make_major, make_student

        major = make_major(code="mx-market", competencies=("ops", "design", "data"))
        klass = make_class(major, 2024, head_teacher=world.users["teacher"])
        other_klass = make_class(major, 2024)
        student = make_student(klass, user=world.users["student"], number="MXM0001")
        make_student(other_klass, user=world.users["other_student"], number="MXM0002")
        org_a = make_enterprise(world.users["enterprise"])
        make_enterprise(world.users["other_enterprise"])
        association = make_enterprise(world.users["industry"], kind=Organization.Kind.INDUSTRY_ASSOCIATION)
        colleague = Membership.objects.create(
            organization=org_a, user=__import__("tests.factories", fromlist=["UserFactory"]).UserFactory(
                username="mx_colleague", role="enterprise"))
        hr, admin = world.users["enterprise"], world.users["school_admin"]
        published = services.posting_create(actor=hr, organization=org_a, data=posting_data(major), submit=True)
        services.posting_approve(actor=admin, posting=published)
        draft = services.posting_create(actor=hr, organization=org_a, data=posting_data(major, title="草稿"))
        waiting = services.posting_create(actor=hr, organization=org_a, data=posting_data(major, title="待审"),
                                          submit=True)
        application = services.application_create(actor=world.users["student"], posting=published, cover_note="hi")
        profile = CareerProfile.objects.get_or_create(student=student)[0]
        item = PortfolioItem(profile=profile, title="作品", kind="pdf", content_type="application/pdf", size_bytes=20)
        item.file.save("mx.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        invitation = Invitation.objects.create(organization=org_a, email="new@example.test", invited_by=hr)
        return {"major": major, "student": student, "published": published, "draft": draft, "waiting": waiting,
                "application": application, "item": item, "invitation": invitation, "colleague": colleague,
                "org_a": org_a, "association": association,
                "token": services.invitation_token(invitation)}

    return world.once("market", build)


def _world(world):
    market_world(world)
    return {}


def _published(world):
    return {"posting_id": market_world(world)["published"].pk}


def _draft(world):
    return {"posting_id": market_world(world)["draft"].pk}


def _waiting(world):
    return {"posting_id": market_world(world)["waiting"].pk}


def _application(world):
    return {"application_id": market_world(world)["application"].pk}


def _candidate(world):
    m = market_world(world)
    return {"posting_id": m["published"].pk, "student_number": m["student"].student_number}


def _student_number(world):
    return {"student_number": market_world(world)["student"].student_number}


def _file(world):
    m = market_world(world)
    return {"student_number": m["student"].student_number, "item": str(m["item"].pk)}


def _new_posting(world):
    market_world(world)
    return {"title": "矩阵岗位", "kind": "job", "majors": ["mx-market"],
            "deadline": (datetime.date.today() + datetime.timedelta(days=10)).isoformat(),
            "requirements": [{"competency": "ops", "minimum": 0.5, "importance": 2}]}


OWNER_ONLY = page("enterprise", other_enterprise=404)
OWNER_POST = page("enterprise", ok=302, other_enterprise=404)
VIEWER = page("enterprise", "school_admin", other_enterprise=404)
NOT_OURS = 404

CASES = [
    Case("enterprises:home", page("enterprise"), build=_world),
    Case("enterprises:posting_create", page("enterprise")),
    Case("enterprises:posting_detail", OWNER_ONLY, build=_published),
    Case("enterprises:posting_edit", OWNER_ONLY, build=_draft),
    Case("enterprises:posting_action", OWNER_POST, method="post", build=_published, data={"action": "close"}),
    Case("enterprises:posting_bulk", OWNER_POST, method="post", build=_published,
         data=lambda w: {"application": [market_world(w)["application"].pk], "stage": "shortlisted"}),
    Case("enterprises:candidates", VIEWER, build=_published),
    Case("enterprises:candidate_detail", VIEWER, build=_candidate,
         note="B is not the applicant's enterprise and the resume is hidden"),
    Case("enterprises:application_review", VIEWER, build=_application),
    Case("enterprises:organization", page("enterprise", "industry"), build=_world),
    Case("enterprises:invite", page("enterprise", "industry", ok=302), method="post", build=_world,
         data={"email": "x@example.test"}),
    Case("enterprises:invitation_revoke", page("enterprise", "industry", ok=302, other_enterprise=404,
                                               industry=NOT_OURS), method="post",
         build=lambda w: {"invitation_id": market_world(w)["invitation"].pk}),
    Case("enterprises:member_update", page("enterprise", "industry", ok=302, other_enterprise=404,
                                           industry=NOT_OURS), method="post",
         build=lambda w: {"membership_id": market_world(w)["colleague"].pk}, data={"action": "promote"}),
    Case("enterprises:invitation_accept", {"anonymous": 200, **{role: 200 for role in ALL}},
         build=lambda w: {"token": market_world(w)["token"]}, note="the signed link is the credential"),
    Case("enterprises:demand", page("enterprise", "industry"), build=_world),
    Case("enterprises:posting_browse", page(*ALL)),
    Case("enterprises:posting_view", page(*ALL), build=_published),
    Case("enterprises:posting_view", page(*ALL, ok=NOT_OURS, enterprise=200, other_enterprise=404), build=_draft,
         note="a draft: only its enterprise"),
    Case("enterprises:posting_view", page(*ALL, ok=NOT_OURS, enterprise=200, other_enterprise=404, school_admin=200), build=_waiting,
         note="awaiting review: its enterprise and the reviewers"),
    Case("enterprises:my_applications", page("student"), build=_world),
    Case("enterprises:my_application", page("student", other_student=404), build=_application),
    Case("enterprises:career_profile", page("student"), build=_world),
    Case("enterprises:career_file", page(*ALL, ok=NOT_OURS, student=200, teacher=200, enterprise=200,
                                         school_admin=200, other_student=404, other_teacher=404,
                                         other_enterprise=404), build=_file,
         note="the owner, the head teacher, school admins and the applicant's enterprise"),
    Case("enterprises:moderation", page("school_admin")),
    Case("enterprises:moderate", page("school_admin", ok=302), method="post", build=_waiting,
         data={"action": "approve"}),
    Case("enterprises:cooperation", page("school_admin", ok=302), method="post",
         build=lambda w: {"organization_id": market_world(w)["org_a"].pk}, data={"cooperation_level": "partner"}),
    Case("api:postings", api(*ALL), build=_world),
    Case("api:postings", api("enterprise", ok=201), method="post", data=_new_posting, content_type="application/json"),
    Case("api:posting-detail", api(*ALL), build=_published),
    Case("api:posting-detail", api(*ALL, ok=404, enterprise=200, other_enterprise=404), build=_draft, note="drafts: only the owner"),
    Case("api:posting-apply", api("student", student=409, other_student=201), method="post", build=_published,
         data={"cover_note": "x"}, content_type="application/json", note="the student already applied: 409"),
    Case("api:posting-candidates", api("enterprise", "school_admin", other_enterprise=404), build=_published),
    Case("api:student-posting-matches", api("student", "teacher", "school_admin", other_student=404,
                                            other_teacher=404), build=_student_number),
]

__all__ = ["CASES", "LOGIN_REDIRECT"]
