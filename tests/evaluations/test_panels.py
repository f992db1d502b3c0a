"""Every rater's home shows "my evaluations to do"; the resume gets a line per excellent result."""

import pytest
from django.urls import reverse

from evaluations.panels import excellent_results_section
from evaluations.rewards import _reward
from tests.evaluations.builders import build_world, open_rounds, submit

pytestmark = pytest.mark.django_db


def test_landing_pages_list_evaluations_to_do(client):
    world = build_world(students=4)
    round_ = open_rounds(world)[0]
    for user, url in ((world.teacher, "teachers:home"), (world.mentor, "enterprises:home"),
                      (world.master, "evaluations:home"), (round_.student.user, "students:home")):
        client.force_login(user)
        landing = client.get("/", follow=True)
        assert landing.request["PATH_INFO"] == reverse(url)
        page = landing.content.decode()
        assert round_.subject_title in page, url
        assert reverse("evaluations:submit", args=[world.invitation(round_, user).pk]) in page, url


def test_resume_section_lists_excellent_results():
    world = build_world(students=4)
    round_ = open_rounds(world)[0]
    assert excellent_results_section(round_.student) is None
    for invitation in round_.invitations.exclude(party="self").select_related("rater"):
        submit(world, round_, invitation.rater, 95)
    round_.refresh_from_db()
    _reward(round_=round_, result=round_.current_result)
    section = excellent_results_section(round_.student)
    assert section["template"] == "evaluations/_resume_section.html"
    assert [r.round_id for r in section["rewards"]] == [round_.pk]
