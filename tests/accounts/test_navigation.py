"""Navigation: each role sees its own items; items sharing a group become one dropdown,
placed where its first item is; a group with one visible item is a plain link."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from accounts.navigation import navigation_for_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _shape(entries):
    return [(str(e["label"]), [str(c["label"]) for c in e["children"]]) if "children" in e else str(e["label"])
            for e in entries]


def test_student_growth_pages_are_one_dropdown():
    shape = _shape(navigation_for_user(UserFactory(role=Role.STUDENT)))
    growth = dict(e for e in shape if isinstance(e, tuple))["Growth records"]
    assert growth == ["Points", "Rankings", "Competitions", "Stars of skills", "Employment outlook"]
    top = [e if isinstance(e, str) else e[0] for e in shape]
    assert top.index("My competences") < top.index("Growth records") < top.index("My resume")
    # The lab has one item for a student: a plain link.
    assert "Deepfake lab" in top and ("Deepfake lab", ["Deepfake lab"]) not in shape


def test_teacher_sees_the_lab_as_a_dropdown_and_enterprise_sees_single_items_as_links():
    teacher = _shape(navigation_for_user(UserFactory(role=Role.TEACHER)))
    lab = dict(e for e in teacher if isinstance(e, tuple))["Deepfake lab"]
    assert lab[:2] == ["Deepfake lab", "Class detection jobs"] and "Class challenges" in lab
    enterprise = _shape(navigation_for_user(UserFactory(role=Role.ENTERPRISE)))
    # A group of one item would be a dropdown for nothing: single items are plain links.
    assert "Stars of skills" in enterprise and "Recruiting" in enterprise
    assert all(len(e[1]) > 1 for e in enterprise if isinstance(e, tuple))


def test_active_child_marks_its_group_active():
    entries = navigation_for_user(UserFactory(role=Role.STUDENT), current_path="/students/rankings/")
    group = next(e for e in entries if "children" in e)
    assert group["active"] is True
    assert [c["active"] for c in group["children"]] == [str(c["label"]) == "Rankings" for c in group["children"]]


def test_dropdown_renders_in_the_page(client):
    client.force_login(UserFactory(role=Role.TEACHER))
    html = client.get("/", follow=True).content.decode()
    assert 'class="nav-item dropdown"' in html
    assert f'class="dropdown-item" href="{reverse("deepfake:class_jobs")}"' in html
