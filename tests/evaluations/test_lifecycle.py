"""Rounds from opening to the joint reward, through the real services and beat tasks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from accounts.errors import ApplicationError
from accounts.models import AuditLog, Notification
from evaluations import services, tasks
from evaluations.models import Appeal, Invitation, Party, Result, Reward, Round, RubricTemplate, Submission
from evaluations.rewards import appeal_create, appeal_decide, certificate_pdf
from students.models import PointEntry
from tests.evaluations.builders import build_world, open_rounds, submit, uniform_scores

pytestmark = pytest.mark.django_db


def frozen(at: datetime.datetime):
    """A frozen clock for the services and beat tasks (everything reads django.utils.timezone.now)."""
    return mock.patch("django.utils.timezone.now", return_value=at)


def _everyone_submits(world, round_, *, teacher=80, mentor=90, master=70, peers=(60, 70, 80)):
    submit(world, round_, world.teacher, teacher)
    submit(world, round_, world.mentor, mentor)
    if master is not None:
        submit(world, round_, world.master, master)
    peer_invitations = Invitation.objects.filter(round=round_, party=Party.PEER).select_related("rater")
    for invitation, value in zip(peer_invitations, peers, strict=False):
        services.submission_create(actor=invitation.rater, invitation_id=invitation.pk,
                                   scores=uniform_scores(round_.template, value))


def test_opening_invites_every_party_peers_and_self():
    world = build_world(students=5)
    rounds = open_rounds(world)
    assert len(rounds) == 5 and all(r.status == Round.Status.OPEN for r in rounds)
    parties = sorted(Invitation.objects.filter(round=rounds[0]).values_list("party", flat=True))
    assert parties == ["master", "mentor", "peer", "peer", "peer", "self", "teacher"]
    peer_ids = set(Invitation.objects.filter(round=rounds[0], party=Party.PEER).values_list("rater_id", flat=True))
    assert rounds[0].student.user_id not in peer_ids
    assert Notification.objects.filter(recipient=world.master).exists()
    assert rounds[0].subject_title.startswith(world.offering.course.code)


def test_round_finalises_when_every_party_has_submitted(django_capture_on_commit_callbacks):
    world = build_world(students=5)
    round_ = open_rounds(world)[0]
    _everyone_submits(world, round_, master=None)
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN  # the master (optional) has not submitted yet
    with django_capture_on_commit_callbacks(execute=True):
        submit(world, round_, world.master, 70)
    assert Notification.objects.filter(recipient=round_.student.user, title__startswith="Your evaluation is ready").exists()
    round_.refresh_from_db()
    assert round_.status == Round.Status.FINALISED
    result = round_.current_result
    # 0.3*80 + 0.3*90 + 0.2*70 + 0.2*70 = 79
    assert result.final == pytest.approx(79.0)
    assert result.parties_counted == ["teacher", "mentor", "master", "peer"]
    assert {d["code"] for d in result.dimensions} == {"basic", "comprehensive", "professional", "quality"}
    assert round_.appeal_closes_at == round_.finalised_at + datetime.timedelta(days=7)
    audit = AuditLog.objects.get(action="evaluations.rounds.finalise", target_id=str(round_.pk))
    assert audit.data["finalised"] == {str(round_.pk): [1, 79.0]}


def test_beat_finalises_at_the_deadline_with_quorum_and_lapses_without(django_capture_on_commit_callbacks):
    world = build_world(students=5)
    rounds = open_rounds(world, days=3)
    with_quorum, without_mentor = rounds[0], rounds[1]
    _everyone_submits(world, with_quorum, master=None)
    submit(world, without_mentor, world.teacher, 75)
    deadline = with_quorum.deadline
    with frozen(deadline - datetime.timedelta(minutes=1)):
        tasks.rounds_finalise_due_task()
    assert Round.objects.get(pk=with_quorum.pk).status == Round.Status.OPEN
    with frozen(deadline + datetime.timedelta(seconds=1)):
        report = tasks.rounds_finalise_due_task()
        assert report == {"finalised": 1, "lapsed": 4}
        # a late submission is refused
        with pytest.raises(ApplicationError) as late:
            submit(world, with_quorum, world.master, 70)
        assert late.value.code in ("deadline_passed", "round_not_open")
    with_quorum.refresh_from_db()
    assert with_quorum.status == Round.Status.FINALISED
    # master absent: (0.3*80 + 0.3*90 + 0.2*70) / 0.8 = 81.25
    assert with_quorum.current_result.final == pytest.approx(81.25)
    master = next(p for p in with_quorum.current_result.parties if p["party"] == "master")
    assert master["counted"] is False and master["score"] is None
    assert Round.objects.get(pk=without_mentor.pk).status == Round.Status.LAPSED
    # idempotent
    with frozen(deadline + datetime.timedelta(minutes=5)):
        assert tasks.rounds_finalise_due_task() == {"finalised": 0, "lapsed": 0}
    assert Result.objects.filter(round=with_quorum).count() == 1


def test_reminders_once_before_the_deadline():
    world = build_world(students=4)
    rounds = open_rounds(world, days=3)
    submit(world, rounds[0], world.teacher, 80)
    with frozen(rounds[0].deadline - datetime.timedelta(hours=47)):
        before = Notification.objects.filter(recipient=world.teacher, title__startswith="Reminder").count()
        assert tasks.rounds_remind_due_task() > 0
        assert tasks.rounds_remind_due_task() == 0
    after = Notification.objects.filter(recipient=world.teacher, title__startswith="Reminder").count()
    assert after == before + 1  # the teacher still owes 3 of the 4 rounds: one grouped reminder
    assert Notification.objects.filter(recipient=world.master, title__startswith="Reminder").exists()


@pytest.mark.parametrize("scores, code", [
    ({"basic.tools": 101}, "invalid_scores"),
    ({"basic.tools": -1}, "invalid_scores"),
    ({"basic.tools": "abc"}, "invalid_scores"),
    ({"nonsense": 50}, "invalid_scores"),
])
def test_bad_scores_are_refused_and_nothing_is_written(scores, code):
    world = build_world(students=4)
    round_ = open_rounds(world)[0]
    full = uniform_scores(round_.template, 80) | scores
    with pytest.raises(ApplicationError) as error:
        services.submission_create(actor=world.teacher, invitation_id=world.invitation(round_, world.teacher).pk,
                                   scores=full)
    assert error.value.code == code and error.value.status_code == 400
    assert not Submission.objects.exists()
    assert world.invitation(round_, world.teacher).submitted_at is None


def test_not_invited_second_submission_and_edit():
    world = build_world(students=4)
    round_ = open_rounds(world)[0]
    other_invitation = world.invitation(round_, world.mentor)
    with pytest.raises(ApplicationError) as error:
        services.submission_create(actor=world.teacher, invitation_id=other_invitation.pk,
                                   scores=uniform_scores(round_.template, 80))
    assert error.value.status_code == 403
    submit(world, round_, world.teacher, 80)
    with pytest.raises(ApplicationError) as error:
        submit(world, round_, world.teacher, 60)
    assert error.value.status_code == 409 and error.value.code == "already_submitted"
    services.submission_update(actor=world.teacher, invitation_id=world.invitation(round_, world.teacher).pk,
                               scores=uniform_scores(round_.template, 65), comments={"basic": "稳定"})
    submission = Submission.objects.get(invitation__round=round_, invitation__rater=world.teacher)
    assert submission.total == pytest.approx(65.0) and submission.comments == {"basic": "稳定"}


def test_sub_criteria_and_dimension_weights_make_the_total():
    world = build_world(students=4)
    round_ = open_rounds(world)[0]
    scores = uniform_scores(round_.template, 50) | {"basic.tools": 100, "basic.norms": 80}
    submission = services.submission_create(actor=world.teacher, scores=scores,
                                            invitation_id=world.invitation(round_, world.teacher).pk)
    # basic = 0.5*100 + 0.5*80 = 90; total = 0.2*90 + 0.8*50 = 58
    assert submission.dimension_scores["basic"] == pytest.approx(90.0)
    assert submission.total == pytest.approx(58.0)


def test_template_weights_must_sum_to_one_and_edits_make_a_new_version():
    world = build_world(students=4)
    template = world.templates["four"]
    open_rounds(world)
    spec = services.rubric_template_spec(template)
    bad = {**spec, "parties": {**spec["parties"], "teacher": {"weight": Decimal("0.5"), "required": True}}}
    before = RubricTemplate.objects.count()
    with pytest.raises(ApplicationError) as error:
        services.rubric_template_save(actor=world.admin, spec=bad)
    assert error.value.code == "weights_do_not_sum_to_one"
    assert RubricTemplate.objects.count() == before
    good = {**spec, "parties": {"teacher": {"weight": "0.4", "required": True},
                                "mentor": {"weight": "0.4", "required": True},
                                "master": {"weight": "0.2", "required": False}}}
    new = services.rubric_template_save(actor=world.admin, spec=good)
    assert new.version == 2 and new.is_current and not RubricTemplate.objects.get(pk=template.pk).is_current
    assert set(Round.objects.values_list("template_id", flat=True)) == {template.pk}  # rounds keep v1
    with pytest.raises(ApplicationError):
        services.rubric_template_save(actor=world.teacher, spec=good)


def test_appeal_reopens_one_party_and_makes_a_new_result_version():
    world = build_world(students=4)
    round_ = open_rounds(world)[0]
    _everyone_submits(world, round_)
    round_.refresh_from_db()
    first = round_.current_result
    student = round_.student.user
    appeal = appeal_create(actor=student, round_id=round_.pk, reason="导师评分偏低")
    with pytest.raises(ApplicationError):
        appeal_create(actor=student, round_id=round_.pk, reason="again")
    appeal_decide(actor=world.admin, appeal_id=appeal.pk, reopen_party=Party.MENTOR,
                  deadline=timezone.now() + datetime.timedelta(days=2))
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    with pytest.raises(ApplicationError) as error:  # only the reopened party may change its scores
        services.submission_update(actor=world.teacher, invitation_id=world.invitation(round_, world.teacher).pk,
                                   scores=uniform_scores(round_.template, 10))
    assert error.value.code == "party_not_reopened"
    services.submission_update(actor=world.mentor, invitation_id=world.invitation(round_, world.mentor).pk,
                               scores=uniform_scores(round_.template, 100))
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN  # finalised again at the new deadline
    with frozen(round_.deadline + datetime.timedelta(seconds=1)):
        assert tasks.rounds_finalise_due_task() == {"finalised": 1, "lapsed": 0}
    round_.refresh_from_db()
    assert round_.status == Round.Status.FINALISED
    assert round_.current_result.version == 2
    # 0.3*80 + 0.3*100 + 0.2*70 + 0.2*70 = 82
    assert round_.current_result.final == pytest.approx(82.0)
    assert Result.objects.get(pk=first.pk).final == pytest.approx(79.0)  # the first result is unchanged
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.REOPENED


def test_appeal_only_by_the_student_in_the_window():
    world = build_world(students=4)
    round_ = open_rounds(world)[0]
    _everyone_submits(world, round_)
    round_.refresh_from_db()
    other = world.students[1].user
    with pytest.raises(ApplicationError) as error:
        appeal_create(actor=other, round_id=round_.pk, reason="x")
    assert error.value.status_code == 404
    with frozen(round_.appeal_closes_at + datetime.timedelta(seconds=1)), pytest.raises(ApplicationError) as error:
        appeal_create(actor=round_.student.user, round_id=round_.pk, reason="late")
    assert error.value.code == "appeal_window_closed"


def test_joint_reward_after_the_appeal_window():
    world = build_world(students=4)
    rounds = open_rounds(world)
    high, low = rounds[0], rounds[1]
    _everyone_submits(world, high, teacher=95, mentor=95, master=90, peers=(90, 90, 90))
    _everyone_submits(world, low, teacher=60, mentor=60, master=60, peers=(60, 60, 60))
    high.refresh_from_db()
    later = high.appeal_closes_at + datetime.timedelta(hours=1)
    # the cohort's other two rounds are still open: nothing is decided yet
    with frozen(later - datetime.timedelta(days=30)):
        assert tasks.rewards_grant_due_task() == 0
    Round.objects.filter(pk__in=[rounds[2].pk, rounds[3].pk]).update(status=Round.Status.LAPSED)
    with frozen(later):
        assert tasks.rewards_grant_due_task() == 1
        assert tasks.rewards_grant_due_task() == 0
    reward = Reward.objects.get()
    assert reward.round_id == high.pk
    # 50 points at 100, scaled by the score (93.5 -> 47)
    high.refresh_from_db()
    assert reward.points == round(50 * high.current_result.final / 100)
    entry = PointEntry.objects.get(source="evaluation_result")
    assert entry.amount == reward.points and entry.student_id == high.student_id
    assert Round.objects.get(pk=low.pk).status == Round.Status.CLOSED
    pdf = certificate_pdf(reward=reward, student_name="王小明")
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_top_share_template_rewards_the_best_of_the_cohort():
    world = build_world(students=4)
    spec = services.rubric_template_spec(world.templates["three"])
    spec.update(excellent_threshold=None, excellent_top_share="0.5")
    template = services.rubric_template_save(actor=world.admin, spec=spec)
    world.templates["three"] = template
    rounds = open_rounds(world, template="three")
    for value, round_ in zip((70, 80, 90, 60), rounds, strict=True):
        _everyone_submits(world, round_, teacher=value, mentor=value, master=value)
    closes = Round.objects.get(pk=rounds[0].pk).appeal_closes_at
    with frozen(closes + datetime.timedelta(hours=1)):
        assert tasks.rewards_grant_due_task() == 2
    assert set(Reward.objects.values_list("round_id", flat=True)) == {rounds[1].pk, rounds[2].pk}
