"""The four-in-one evaluation in a real headless Chromium: a teacher, a mentor, an industry
master and three peers submit through the form; the round finalises; the student sees the
breakdown (no peer named) and their radar move."""

import pytest

from accounts.models import Role
from evaluations.models import Invitation, Party, Round
from students.selectors import radar_for_student
from tests.evaluations.builders import build_world, open_rounds
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rate(page, browser_login, username: str, invitation_id: int, value: int) -> None:
    page.context.clear_cookies()
    browser_login(username)
    page.goto(f"/evaluations/invitations/{invitation_id}/")
    inputs = page.locator("#evaluation-form input[type=number]")
    for i in range(inputs.count()):
        inputs.nth(i).fill(str(value))
    page.fill("#evaluation-form textarea >> nth=0", "认真负责")
    with page.expect_navigation():
        page.click("#submit-evaluation")
    assert "/evaluations/" in page.url
    assert page.locator(".alert-success").count() == 1


def test_four_parties_submit_and_the_student_sees_the_breakdown_and_the_radar(page, browser_login, tmp_path):
    student_user = UserFactory(username="br_eval_student", role=Role.STUDENT, display_name="王小明")
    world = build_world(students=4, student_users=[student_user], prefix="br",
                        teacher=UserFactory(username="br_eval_teacher", role=Role.TEACHER),
                        mentor=UserFactory(username="br_eval_mentor", role=Role.ENTERPRISE),
                        master=UserFactory(username="br_eval_master", role=Role.INDUSTRY))
    open_rounds(world)
    round_ = world.round_of(world.students[0])
    before = radar_for_student(student=world.students[0]).values

    for user, value in ((world.teacher, 80), (world.mentor, 90)):
        _rate(page, browser_login, user.username, world.invitation(round_, user).pk, value)
    # the industry master lands on their evaluations to do
    page.context.clear_cookies()
    browser_login(world.master.username)
    assert round_.subject_title in page.inner_text("#to-do")
    _rate(page, browser_login, world.master.username, world.invitation(round_, world.master).pk, 70)
    peers = list(Invitation.objects.filter(round=round_, party=Party.PEER).select_related("rater"))
    assert len(peers) == 3
    for invitation, value in zip(peers, (60, 70, 80), strict=True):
        _rate(page, browser_login, invitation.rater.username, invitation.pk, value)

    round_.refresh_from_db()
    assert round_.status == Round.Status.FINALISED
    page.context.clear_cookies()
    browser_login("br_eval_student")
    page.goto(f"/evaluations/rounds/{round_.pk}/")
    assert page.inner_text("#final-score").strip() == "79.0"
    party_rows = page.locator("#party-table tbody tr")
    assert party_rows.count() == 4
    assert "3" in page.inner_text("#party-table tbody tr[data-party=peer]")
    assert page.locator("#breakdown-chart").is_visible()
    text = page.inner_text("main")
    for invitation in peers:
        assert invitation.rater.username not in text and invitation.rater.display_name not in text
    page.screenshot(path=str(tmp_path / "result.png"), full_page=True)

    # The result moved the radar: the contribution table on the round, and the attainment itself.
    assert page.locator("#contribution-table tbody tr").count() > 0
    after = radar_for_student(student=world.students[0]).values
    assert any(b != a for b, a in zip(before, after, strict=True))
    page.goto("/students/competences/")
    assert page.locator("#explanation").count() == 1
    page.click("#explanation .accordion-button >> nth=0")
    first = page.locator("#explanation .accordion-collapse >> nth=0")
    first.wait_for(state="visible")
    assert round_.subject_title in first.inner_text()
    page.screenshot(path=str(tmp_path / "radar.png"), full_page=True)
