"""Demo evaluations: internships and projects in every state, so that every demo role lands
on work — the industry master, the mentor and the teacher have evaluations to do, the
student has peer and self-evaluations to do, results to read (one excellent, with its
certificate), and one in its appeal window; the administrator has rounds, appeals to
decide and rater leniency to read. Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from students.models import StudentProfile
from teachers.models import Major

from . import services
from .defaults import default_templates_ensure
from .finalisation import rounds_finalise, rounds_finalised_followup
from .models import Invitation, Party, PracticeActivity, Round
from .rewards import appeal_create, rewards_grant_due

MARKER = "星云电商 · 运营实习岗（2025 春）"
# title, kind, template, state
ACTIVITIES = [
    (MARKER, "internship", "four", "closed"),
    ("校企合作项目 · 直播带货策划", "project", "four", "finalised"),
    ("星云电商 · 客服实习岗（2025 秋）", "internship", "four", "open"),
    ("数据分析工作室 · 双十一复盘项目", "project", "three", "open"),
    ("毕业设计 · 开题报告", "graduation", "three", "draft"),
    ("新媒体工作室 · 短视频项目", "project", "four", "lapsed"),
]
GROUP_SIZE = 8


def _scores(template, rng: random.Random, ability: float) -> dict[str, float]:
    scores = {}
    for dimension in template.dimensions.all():
        for criterion in dimension.criteria.all():
            scores[f"{dimension.code}.{criterion.code}"] = round(max(40, min(100, rng.gauss(ability, 6))))
    return scores


def _submit_all(rounds, rng, abilities, *, skip_parties=(), leave_out=()) -> None:
    invitations = (Invitation.objects.filter(round__in=rounds).exclude(party__in=skip_parties)
                   .select_related("rater", "round__template", "round__student").order_by("round_id", "party", "pk"))
    for invitation in invitations:
        if invitation.rater_id in leave_out or invitation.round.status != Round.Status.OPEN:
            continue
        ability = abilities[invitation.round.student_id] + (4 if invitation.party == Party.SELF else 0)
        comments = {"professional": "能按时完成岗位任务，数据复盘清楚。"} if invitation.party != Party.PEER else {}
        services.submission_create(actor=invitation.rater, invitation_id=invitation.pk,
                                   scores=_scores(invitation.round.template, rng, ability), comments=comments)


@transaction.atomic
def seed(ctx) -> None:
    if PracticeActivity.objects.filter(title=MARKER).exists():
        ctx.log("evaluations: already seeded")
        return
    teacher, mentor = ctx.demo_users[Role.TEACHER], ctx.demo_users[Role.ENTERPRISE]
    master, admin = ctx.demo_users[Role.INDUSTRY], ctx.demo_users[Role.SCHOOL_ADMIN]
    student = StudentProfile.objects.select_related("school_class").get(user=ctx.demo_users[Role.STUDENT])
    for major in Major.objects.all():
        default_templates_ensure(actor=admin, major=major)
    templates = default_templates_ensure(actor=admin, major=student.major)
    classmates = list(StudentProfile.objects.filter(school_class=student.school_class).exclude(pk=student.pk)
                      .order_by("student_number").values_list("user_id", flat=True)[:GROUP_SIZE - 1])
    group = [student.user_id] + classmates
    if len(group) < 4:
        ctx.log("evaluations: too few students for peer evaluation; skipped")
        return
    rng = random.Random(ctx.seed + 13)
    profiles = dict(StudentProfile.objects.filter(user_id__in=group).values_list("user_id", "pk"))
    # The demo student does well (an excellent internship); the others spread around 78.
    abilities = {profiles[u]: (91 if u == student.user_id else rng.uniform(66, 90)) for u in group}
    org = ctx.organizations.get("ent-xingyun")
    now = timezone.now()
    created = {}
    for title, kind, template_kind, state in ACTIVITIES:
        template = templates[template_kind]
        raters = {Party.TEACHER: [teacher.pk], Party.MENTOR: [mentor.pk]}
        if state != "lapsed" or template_kind == "three":
            raters[Party.MASTER] = [master.pk]
        rounds = services.activity_rounds_create(
            actor=teacher, kind=kind, title=title, school_class=student.school_class, organization=org,
            template=template, deadline=now + datetime.timedelta(days=5 if state == "open" else 10), raters=raters,
            student_user_ids=group, open_now=state != "draft")
        created[state] = created.get(state, []) + rounds
        if state in ("closed", "finalised"):
            _submit_all(rounds, rng, abilities)
            rounds_finalise(round_ids=[r.pk for r in rounds])  # any round still open (none expected)
        elif state == "open":
            # the teacher has done half; the master and the demo student have work left
            _submit_all(rounds[len(rounds) // 2:], rng, abilities, skip_parties=(Party.MASTER, Party.SELF),
                        leave_out=(student.user_id,))
        elif state == "lapsed":
            _submit_all(rounds, rng, abilities, skip_parties=(Party.MENTOR, Party.PEER, Party.SELF))
            Round.objects.filter(pk__in=[r.pk for r in rounds]).update(deadline=now - datetime.timedelta(days=3))
            rounds_finalise(round_ids=[r.pk for r in rounds], at_deadline=True)
        if state == "closed":
            # This internship ended a month ago: its appeal window has passed, rewards are granted.
            ids = [r.pk for r in rounds]
            Round.objects.filter(pk__in=ids).update(deadline=now - datetime.timedelta(days=40),
                                                    finalised_at=now - datetime.timedelta(days=38),
                                                    appeal_closes_at=now - datetime.timedelta(days=31))
            rewards_grant_due(now=now)
    # One classmate appealed the project result; the administrator has it to decide.
    finalised = [r for r in created.get("finalised", []) if r.student_id != student.pk]
    if finalised:
        appealing = Round.objects.select_related("student__user").get(pk=finalised[0].pk)
        appeal_create(actor=appealing.student.user, round_id=appealing.pk, reason="企业导师对我的直播脚本评分偏低，请复核。")
    # The practice evidence goes on the radar here, so that the demo radar shows it at once
    # (the notifications follow from the worker's after-commit task).
    rounds_finalised_followup(round_ids=list(Round.objects.filter(current_result__isnull=False)
                                             .values_list("pk", flat=True)), notify=False)
    ctx.log(f"evaluations: {Round.objects.count()} rounds in "
            f"{PracticeActivity.objects.count()} activities ({', '.join(sorted(created))})")
