"""A studio's page at size: members and projects are pages of their own (a studio of the
benchmark has 2,000 members and 1,000 projects), each pager keeping the other's place; a
lead sees the oldest applications a screenful at a time with their total."""

from __future__ import annotations

import re

import pytest

from accounts.models import Role
from projects.models import Studio, StudioMember
from tests.factories import UserFactory
from tests.growth import factories as growth

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio():
    studio = Studio.objects.create(code="big", skill_area="ai", title="Big studio")
    klass = growth.school_class(code="BIG-1", year=2024)
    people = [growth.student(klass=klass, number=f"B{i:04d}").user for i in range(95)]
    StudioMember.objects.bulk_create(
        [StudioMember(studio=studio, user=u, role="student", status="admitted") for u in people[:35]]
        + [StudioMember(studio=studio, user=u, role="student", status="applied", motivation=f"m{i}")
           for i, u in enumerate(people[35:])])
    return studio


def _members(html: str) -> list[str]:
    block = html.split('id="studio-members"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li class=\"list-group-item d-flex", block)


def test_members_are_paged_with_their_total(client, studio):
    client.force_login(UserFactory(username="viewer", role=Role.TEACHER))
    first = client.get(f"/projects/studios/{studio.pk}/").content.decode()
    assert len(_members(first)) == 30
    assert 'id="studio-members-total">35<' in first
    assert 'id="members-pages"' in first and "members=2" in first
    second = client.get(f"/projects/studios/{studio.pk}/", {"members": 2}).content.decode()
    assert len(_members(second)) == 5
    # a page number that is not one gives a page, not an error
    for bad in ("abc", "0", "-1", "99999999999999999999"):
        response = client.get(f"/projects/studios/{studio.pk}/", {"members": bad})
        assert response.status_code == 200 and _members(response.content.decode())
    # no applications for someone who does not lead the studio
    assert 'id="studio-applications-total"' not in first


def test_a_lead_sees_the_oldest_applications_and_how_many_there_are(client, studio):
    client.force_login(UserFactory(username="boss", role=Role.SCHOOL_ADMIN))
    html = client.get(f"/projects/studios/{studio.pk}/").content.decode()
    assert 'id="studio-applications-total">60<' in html
    assert html.count("/decide/") == 50
    assert "显示最早的 50 份申请（共 60 份）" in html  # the factory's users read Chinese
    assert "— m0<" in html and "— m55<" not in html
