"""A small talent market for tests: a major with a program and graded students,
an enterprise with a member, postings with requirements."""

from __future__ import annotations

import datetime

from accounts.models import Membership, Organization, Role
from enterprises import services
from enterprises.models import CareerProfile, EnterpriseProfile, Posting
from students.services import radar_recompute
from tests.factories import OrganizationFactory, UserFactory
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term


def make_enterprise(user=None, *, partner: bool = False, auto_publish: bool = False, manager: bool = True,
                    kind: str = Organization.Kind.ENTERPRISE) -> Organization:
    organization = OrganizationFactory(kind=kind)
    EnterpriseProfile.objects.create(
        organization=organization, city="杭州", industry="电商",
        cooperation_level="partner" if partner else "none", auto_publish=auto_publish)
    if user is not None:
        Membership.objects.create(organization=organization, user=user, is_manager=manager)
    return organization


def make_market(*, student_user=None, scores=(90, 40)):
    """A major (ops, design, data), a 2024 program where B1 builds ops+data and B2 design,
    one class with a student graded B1=scores[0], B2=scores[1], radar computed."""
    major = make_major(competencies=("ops", "design", "data"))
    make_program(major, 2024, [("B1", 2, 1, {"ops": 1, "data": 1}), ("B2", 2, 1, {"design": 1}),
                               ("B3", 2, 2, {"design": 1, "data": 1})])
    school_class = make_class(major, 2024)
    student = make_student(school_class, user=student_user or UserFactory(role=Role.STUDENT, username="mk_student"))
    term = make_term(2024, 1)
    grade(make_offering("B1", term, school_class), student, scores[0])
    grade(make_offering("B2", term, school_class), student, scores[1])
    radar_recompute()
    return major, school_class, student


def posting_data(major, *, requirements=None, deadline=None, kind="internship", title="数据运营实习", **extra):
    return services.PostingData(
        title=title, kind=kind, deadline=deadline or datetime.date.today() + datetime.timedelta(days=30),
        major_ids=[major.pk], requirements=requirements if requirements is not None else [
            {"competency": "ops", "minimum": 0.5, "importance": 2}, {"competency": "design", "minimum": 0.6,
                                                                     "importance": 1}],
        city="杭州", salary_min=3000, salary_max=5000, headcount=2, description="描述", **extra)


def publish(posting: Posting, admin) -> Posting:
    services.posting_submit(actor=posting.created_by, posting=posting)
    return services.posting_approve(actor=admin, posting=posting)


def make_visible(student, visibility="enterprises") -> CareerProfile:
    """Through the student's own service, as the career-profile page does."""
    return services.career_profile_update(actor=student.user, student=student, data={"visibility": visibility})


def assert_constant_queries(client, urls: list[str], grow) -> None:
    """Each page costs the same number of queries before and after grow() adds rows. Each
    page is read once first: the first read after new students adds their candidate
    vectors (one-time work, enterprises.vectors); the steady state is what must not grow."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts() -> dict[str, int]:
        out = {}
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            out[url] = len(ctx)
        return out

    before = counts()
    grow()
    assert counts() == before
