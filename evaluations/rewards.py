"""After the result: the appeal window, a school administrator's decision, and the joint
reward (points scaled by the score, a certificate PDF, a resume line) for excellent results."""

from __future__ import annotations

import datetime
import io
import math
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role, User
from accounts.services import audit_log_record, notification_send
from students.models import PointSource
from students.services import points_grant

from .models import Appeal, Invitation, Party, Result, Reward, Round


@transaction.atomic
def appeal_create(*, actor: User, round_id: int, reason: str) -> Appeal:
    round_ = Round.objects.select_for_update().select_related("student").filter(pk=round_id).first()
    if round_ is None or actor.role != Role.STUDENT or round_.student.user_id != actor.pk:
        raise ApplicationError(_("Not found."), code="not_found", status_code=404)
    reason = (reason or "").strip()
    if not reason or "\x00" in reason or len(reason) > 4000:
        raise ApplicationError(_("Give a reason for the appeal (at most 4000 characters)."), code="invalid_reason")
    if round_.status != Round.Status.FINALISED or round_.appeal_closes_at is None \
            or timezone.now() >= round_.appeal_closes_at:
        raise ApplicationError(_("The appeal window is closed."), code="appeal_window_closed", status_code=409)
    if Appeal.objects.filter(result_id=round_.current_result_id).exists():
        raise ApplicationError(_("You have already appealed this result."), code="already_appealed", status_code=409)
    appeal = Appeal.objects.create(round=round_, result_id=round_.current_result_id, reason=reason)
    audit_log_record(actor=actor, action="evaluations.appeal.create", target=appeal, data={"round": round_.pk})
    admins = User.objects.filter(role=Role.SCHOOL_ADMIN, is_active=True).values_list("pk", flat=True)
    notification_send(recipients=list(admins), title=gettext_noop("New evaluation appeal: %(subject)s"),
                      params={"subject": round_.subject_title}, url=reverse("evaluations:appeals"))
    return appeal


@transaction.atomic
def appeal_decide(*, actor: User, appeal_id: int, reopen_party: str = "", note: str = "",
                  deadline: datetime.datetime | None = None) -> Appeal:
    """Reject the appeal, or reopen one party: its raters may submit again until the new
    deadline; the round is finalised again then, as a new result version."""
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators decide appeals."))
    appeal = Appeal.objects.select_for_update().filter(pk=appeal_id).first()
    if appeal is None:
        raise ApplicationError(_("Not found."), code="not_found", status_code=404)
    if appeal.status != Appeal.Status.PENDING:
        raise ApplicationError(_("This appeal has already been decided."), code="already_decided", status_code=409)
    if "\x00" in (note or ""):
        raise ApplicationError(_("The note contains a NUL character."), code="invalid_note")
    round_ = Round.objects.select_for_update().get(pk=appeal.round_id)
    appeal.decided_by, appeal.decided_at, appeal.decision_note = actor, timezone.now(), (note or "")[:4000]
    if reopen_party:
        if reopen_party == Party.SELF or not Invitation.objects.filter(round=round_, party=reopen_party).exists():
            raise ApplicationError(_("This round has no such party to reopen."), code="invalid_party")
        if deadline is None or deadline <= timezone.now():
            raise ApplicationError(_("The new deadline must be in the future."), code="deadline_past")
        # The party's raters may change their submissions until the new deadline; the
        # others' stand. The round is finalised again by the beat at that deadline.
        appeal.status, appeal.reopened_party = Appeal.Status.REOPENED, reopen_party
        round_.status, round_.deadline, round_.reminded_at = Round.Status.OPEN, deadline, None
        round_.appeal_closes_at = None
        round_.save(update_fields=["status", "deadline", "reminded_at", "appeal_closes_at"])
        raters = Invitation.objects.filter(round=round_, party=reopen_party).values_list("rater_id", flat=True)
        notification_send(recipients=list(raters), title=gettext_noop("An evaluation was reopened: %(subject)s"),
                          params={"subject": round_.subject_title}, url=reverse("evaluations:home"))
    else:
        appeal.status = Appeal.Status.REJECTED
    appeal.save()
    audit_log_record(actor=actor, action="evaluations.appeal.decide", target=appeal,
                     data={"status": appeal.status, "party": reopen_party})
    notification_send(recipients=[round_.student.user_id], title=gettext_noop("Your appeal was decided: %(subject)s"),
                      params={"subject": round_.subject_title}, url=reverse("evaluations:round_detail", args=[round_.pk]))
    return appeal


def _excellent_ids(rounds: list[Round], results: dict[int, Result]) -> set[int]:
    """Excellent: at or above the template's threshold, and/or within its top share of the
    cohort (the rounds of the same subject and template), ranked by final score."""
    excellent: set[int] = set()
    cohorts: dict[tuple, list[Round]] = defaultdict(list)
    for round_ in rounds:
        cohorts[(round_.subject_type_id, round_.subject_id, round_.template.family)].append(round_)
    for members in cohorts.values():
        template = members[0].template
        threshold = float(template.excellent_threshold) if template.excellent_threshold is not None else None
        share = float(template.excellent_top_share) if template.excellent_top_share is not None else None
        ranked = sorted(members, key=lambda r: -results[r.pk].final)
        top = set()
        if share is not None:
            top = {r.pk for r in ranked[:max(1, math.floor(share * len(ranked) + 1e-9))]}
        for round_ in members:
            final = results[round_.pk].final
            passes_threshold = threshold is None or final >= threshold
            in_top = share is None or round_.pk in top
            if (threshold is not None or share is not None) and passes_threshold and in_top:
                excellent.add(round_.pk)
    return excellent


def rewards_grant_due(*, now: datetime.datetime | None = None) -> int:
    """Beat: close every finalised round whose appeal window has passed with no pending
    appeal. A cohort (same subject and template) is closed together, once none of its
    rounds is still open or in its window, so that the top share is taken over all of it."""
    now = now or timezone.now()
    due = (Round.objects.filter(status=Round.Status.FINALISED, appeal_closes_at__lte=now)
           .exclude(appeals__status=Appeal.Status.PENDING)
           .values_list("subject_type_id", "subject_id", "template__family").distinct())
    granted = 0
    for subject_type_id, subject_id, family in set(due):
        granted += _cohort_close(subject_type_id=subject_type_id, subject_id=subject_id, family=family, now=now)
    return granted


@transaction.atomic
def _cohort_close(*, subject_type_id: int, subject_id: int, family: str, now: datetime.datetime) -> int:
    cohort = list(Round.objects.select_for_update(of=("self",)).select_related("template", "student")
                  .filter(subject_type_id=subject_type_id, subject_id=subject_id, template__family=family)
                  .exclude(status=Round.Status.LAPSED))
    waiting = [r for r in cohort if r.status in (Round.Status.DRAFT, Round.Status.OPEN)
               or (r.status == Round.Status.FINALISED and (r.appeal_closes_at is None or r.appeal_closes_at > now))]
    if waiting or Appeal.objects.filter(round__in=cohort, status=Appeal.Status.PENDING).exists():
        return 0
    closing = [r for r in cohort if r.status == Round.Status.FINALISED]
    if not closing:
        return 0
    rated = [r for r in cohort if r.current_result_id]
    results = {r.pk: r for r in Result.objects.filter(pk__in=[r.current_result_id for r in rated])}
    results = {r.round_id: r for r in results.values()}
    excellent = _excellent_ids(rated, results)
    granted = 0
    for round_ in closing:
        if round_.pk in excellent and not Reward.objects.filter(round=round_).exists():
            _reward(round_=round_, result=results[round_.pk])
            granted += 1
    Round.objects.filter(pk__in=[r.pk for r in closing]).update(status=Round.Status.CLOSED, closed_at=now)
    audit_log_record(actor=None, action="evaluations.cohort.close", target=None,
                     data={"rounds": [r.pk for r in closing], "excellent": sorted(excellent)})
    return granted


def _reward(*, round_: Round, result: Result) -> Reward:
    points = round(round_.template.reward_points * result.final / 100)
    reward = Reward.objects.create(round=round_, result=result, student=round_.student, points=points,
                                   certificate_number=f"CJ-EV-{round_.pk:08d}-{result.version}")
    if points > 0:
        points_grant(actor=None, student=round_.student, source=PointSource.EVALUATION_RESULT, amount=points,
                     reason=gettext_noop("Excellent evaluation: %(subject)s (%(score)s)"),
                     reason_params={"subject": round_.subject_title, "score": f"{result.final:.1f}"},
                     reference=f"evaluation-round:{round_.pk}")
    audit_log_record(actor=None, action="evaluations.reward.grant", target=reward, data={"points": points})
    notification_send(recipients=[round_.student.user_id],
                      title=gettext_noop("Excellent evaluation: %(subject)s — your certificate is ready"),
                      params={"subject": round_.subject_title},
                      url=reverse("evaluations:certificate", args=[round_.pk]))
    return reward


def certificate_pdf(*, reward: Reward, student_name: str) -> bytes:
    """The certificate of an excellent result, in the reader's language (reportlab)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("Certificate of excellence"))
    pdf.setStrokeColorRGB(0.05, 0.3, 0.6)
    pdf.setLineWidth(6)
    pdf.rect(30, 30, width - 60, height - 60)
    pdf.setFont(font, 34)
    pdf.drawCentredString(width / 2, height - 140, _("Certificate of excellence"))
    pdf.setFont(font, 20)
    pdf.drawCentredString(width / 2, height - 220, student_name)
    pdf.setFont(font, 15)
    lines = [
        _("was rated excellent in the joint evaluation of"),
        reward.round.subject_title,
        _("by the school, the enterprise, the industry and peers, with a score of %(score)s.")
        % {"score": f"{reward.result.final:.1f}"},
    ]
    for i, line in enumerate(lines):
        pdf.drawCentredString(width / 2, height - 270 - 28 * i, line)
    pdf.setFont(font, 11)
    pdf.drawString(60, 60, _("Certificate no. %(number)s") % {"number": reward.certificate_number})
    pdf.drawRightString(width - 60, 60, timezone.localtime(reward.created_at).strftime("%Y-%m-%d"))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
