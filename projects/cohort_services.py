"""Writes for order classes, graduation design (topics, stage grades by both tutors,
submissions, the final grade into the gradebook) and entrepreneurship teams."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Organization, Role, User
from accounts.services import audit_log_record, notification_send
from teachers.models import Course, Enrolment, Major
from teachers.services import grade_set

from .models import (
    GraduationDesign,
    GraduationStageGrade,
    GraduationSubmission,
    GraduationTopic,
    OrderClass,
    Project,
    Team,
    TeamMember,
    Venture,
    VentureMilestone,
)
from .permissions import is_enterprise_member
from .uploads import CheckedUpload, stored_file_fields

# --- Order classes ----------------------------------------------------------------


@transaction.atomic
def order_class_create(*, actor: User, enterprise: Organization, major: Major, title: str, intake_year: int,
                       capacity: int, criteria: str, description: str = "", title_en: str = "",
                       course_ids: Sequence[int] = (), mentor_ids: Sequence[int] = ()) -> OrderClass:
    if not (actor.role == Role.SCHOOL_ADMIN or is_enterprise_member(actor, enterprise.pk)):
        raise NotPermitted(_("Only the enterprise or a school administrator creates its order class."))
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise ApplicationError(_("An order class is sponsored by an enterprise."), code="not_enterprise")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity <= 0:
        raise ApplicationError(_("The capacity must be at least 1."), code="invalid_capacity")
    if not title.strip() or not criteria.strip():
        raise ApplicationError(_("Give the class a name and its selection criteria."), code="missing_fields")
    courses = list(Course.objects.filter(pk__in=list(course_ids)))
    mentors = list(User.objects.filter(pk__in=list(mentor_ids), role=Role.ENTERPRISE,
                                       memberships__organization=enterprise))
    if len(courses) != len(set(course_ids)) or len(mentors) != len(set(mentor_ids)):
        raise ApplicationError(_("Unknown course or mentor (mentors work for the enterprise)."), code="unknown_ref")
    order_class = OrderClass.objects.create(
        enterprise=enterprise, major=major, title=title.strip()[:200], title_en=title_en.strip()[:200],
        intake_year=intake_year, capacity=capacity, criteria=criteria.strip(), description=description.strip(),
        created_by=actor)
    order_class.courses.set(courses)
    order_class.mentors.set(mentors)
    audit_log_record(actor=actor, action="order_class.create", target=order_class)
    return order_class


# --- Graduation topics --------------------------------------------------------------


@transaction.atomic
def topic_propose(*, actor: User, title: str, description: str, major: Major, course: Course,
                  school_tutor: User, enterprise_tutor: User, enterprise: Organization | None = None,
                  source_project: Project | None = None, capacity: int = 1,
                  school_weight: Decimal = Decimal("0.50"), title_en: str = "") -> GraduationTopic:
    """Teachers and enterprises propose topics (often from a real project); the school approves."""
    if actor.role not in (Role.TEACHER, Role.ENTERPRISE):
        raise NotPermitted(_("Teachers and enterprises propose graduation topics."))
    if school_tutor.role != Role.TEACHER or enterprise_tutor.role != Role.ENTERPRISE:
        raise ApplicationError(_("A topic needs a school tutor (a teacher) and an enterprise tutor."),
                               code="tutors")
    if actor.role == Role.TEACHER and actor.pk != school_tutor.pk:
        raise ApplicationError(_("A teacher proposes topics they tutor."), code="tutors")
    if actor.role == Role.ENTERPRISE and actor.pk != enterprise_tutor.pk:
        raise ApplicationError(_("An enterprise proposes topics its own staff tutor."), code="tutors")
    if enterprise is None:
        enterprise = Organization.objects.filter(memberships__user=enterprise_tutor,
                                                 kind=Organization.Kind.ENTERPRISE).first()
    if enterprise is None or not is_enterprise_member(enterprise_tutor, enterprise.pk):
        raise ApplicationError(_("The enterprise tutor must work for the enterprise."), code="tutors")
    if source_project is not None and source_project.enterprise_id != enterprise.pk:
        raise ApplicationError(_("The project belongs to another enterprise."), code="project_enterprise")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity <= 0:
        raise ApplicationError(_("The capacity must be at least 1."), code="invalid_capacity")
    school_weight = Decimal(school_weight)
    if not Decimal("0") <= school_weight <= Decimal("1"):
        raise ApplicationError(_("The school tutor's weight is between 0 and 1."), code="invalid_weight")
    if not title.strip() or not description.strip():
        raise ApplicationError(_("A topic needs a title and a description."), code="missing_fields")
    topic = GraduationTopic.objects.create(
        title=title.strip()[:200], title_en=title_en.strip()[:200], description=description.strip(), major=major,
        course=course, proposed_by=actor, enterprise=enterprise, source_project=source_project,
        school_tutor=school_tutor, enterprise_tutor=enterprise_tutor, capacity=capacity, school_weight=school_weight)
    audit_log_record(actor=actor, action="topic.propose", target=topic)
    return topic


@transaction.atomic
def topic_review(*, actor: User, topic: GraduationTopic, approve: bool) -> GraduationTopic:
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators approve topics."))
    topic = GraduationTopic.objects.select_for_update().get(pk=topic.pk)
    if topic.status != GraduationTopic.Status.PROPOSED:
        raise ApplicationError(_("This topic has already been reviewed."), code="state")
    topic.status = GraduationTopic.Status.APPROVED if approve else GraduationTopic.Status.REJECTED
    topic.reviewed_by = actor
    topic.save(update_fields=["status", "reviewed_by"])
    notification_send(recipients=[topic.proposed_by_id],
                      title=gettext_noop("Graduation topic approved: %(title)s") if approve
                      else gettext_noop("Graduation topic not approved: %(title)s"),
                      params={"title": topic.title}, url=reverse("projects:graduation"))
    audit_log_record(actor=actor, action="topic.approve" if approve else "topic.reject", target=topic)
    return topic


# --- Graduation design: stages, grades, submissions -------------------------------

STAGE_ORDER = [GraduationDesign.Stage.PROPOSAL, GraduationDesign.Stage.MIDTERM, GraduationDesign.Stage.SUBMISSION,
               GraduationDesign.Stage.DEFENCE, GraduationDesign.Stage.FINISHED]


def tutor_side(*, user: User, topic: GraduationTopic) -> str | None:
    if user.pk == topic.school_tutor_id:
        return GraduationStageGrade.Grader.SCHOOL
    if user.pk == topic.enterprise_tutor_id:
        return GraduationStageGrade.Grader.ENTERPRISE
    return None


def final_score(*, topic: GraduationTopic, grades: dict[tuple[str, str], Decimal]) -> Decimal:
    """Σ over stages of stage weight × (w_school · school + (1 − w_school) · enterprise)."""
    w_school = topic.school_weight
    total = Decimal("0")
    for stage, weight in GraduationDesign.STAGE_WEIGHTS.items():
        school = grades[(stage, GraduationStageGrade.Grader.SCHOOL)]
        enterprise = grades[(stage, GraduationStageGrade.Grader.ENTERPRISE)]
        total += weight * (w_school * school + (1 - w_school) * enterprise)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _graduation_enrolment(design: GraduationDesign) -> Enrolment:
    enrolment = (Enrolment.objects.filter(student_id=design.student.user_id, offering__course_id=design.topic.course_id)
                 .order_by("-offering__term__start_year", "-offering__term__number").first())
    if enrolment is None:
        raise ApplicationError(_("The student is not enrolled in the graduation-design course %(course)s.")
                               % {"course": design.topic.course}, code="not_enrolled")
    return enrolment


@transaction.atomic
def stage_grade(*, actor: User, design: GraduationDesign, score, comment: str = "") -> GraduationDesign:
    """A tutor grades the current stage. When both tutors have, the design moves on;
    after the defence the final grade enters the gradebook (so the radar moves)."""
    design = GraduationDesign.objects.select_for_update().select_related("topic", "student").get(pk=design.pk)
    side = tutor_side(user=actor, topic=design.topic)
    if side is None:
        raise NotPermitted(_("Only the topic's two tutors grade it."))
    if design.stage == GraduationDesign.Stage.FINISHED:
        raise ApplicationError(_("This graduation design is finished."), code="state")
    try:
        value = Decimal(str(score)).quantize(Decimal("0.01"))
    except ArithmeticError:
        raise ApplicationError(_("The score must be a number from 0 to 100."), code="invalid_score") from None
    if not value.is_finite() or not Decimal("0") <= value <= Decimal("100"):
        raise ApplicationError(_("The score must be a number from 0 to 100."), code="invalid_score")
    if design.stage == GraduationDesign.Stage.SUBMISSION and not design.submissions.filter(
            stage=GraduationDesign.Stage.SUBMISSION).exists():
        raise ApplicationError(_("The student has not handed in the design yet."), code="no_submission")
    GraduationStageGrade.objects.update_or_create(
        design=design, stage=design.stage, grader=side,
        defaults={"score": value, "comment": comment.strip(), "graded_by": actor})
    audit_log_record(actor=actor, action="graduation.grade", target=design,
                     data={"stage": design.stage, "grader": side, "score": str(value)})
    if GraduationStageGrade.objects.filter(design=design, stage=design.stage).count() < 2:
        return design
    design.stage = STAGE_ORDER[STAGE_ORDER.index(design.stage) + 1]
    if design.stage == GraduationDesign.Stage.FINISHED:
        grades = {(g.stage, g.grader): g.score for g in design.stage_grades.all()}
        design.final_score = final_score(topic=design.topic, grades=grades)
        design.finished_at = timezone.now()
        grade_set(actor=actor, enrolment=_graduation_enrolment(design), score=design.final_score,
                  reason=gettext_noop("Graduation design"))
    design.save(update_fields=["stage", "final_score", "finished_at"])
    notification_send(recipients=[design.student.user_id],
                      title=gettext_noop("Graduation design: %(stage)s"),
                      params={"stage": design.get_stage_display()}, url=reverse("projects:graduation"))
    return design


@transaction.atomic
def graduation_submit(*, actor: User, design: GraduationDesign, checked: CheckedUpload,
                      note: str = "") -> GraduationSubmission:
    design = GraduationDesign.objects.select_for_update().select_related("student", "topic").get(pk=design.pk)
    if design.student.user_id != actor.pk:
        raise NotPermitted(_("Only the student hands in their graduation design."))
    if design.stage == GraduationDesign.Stage.FINISHED:
        raise ApplicationError(_("This graduation design is finished."), code="state")
    submission = GraduationSubmission(design=design, stage=design.stage, note=note.strip(),
                                      **stored_file_fields(checked, actor=actor))
    submission.file.save(f"graduation-{design.pk}.{checked.extension}", ContentFile(checked.data), save=False)
    try:
        submission.save()
        notification_send(recipients=[design.topic.school_tutor_id, design.topic.enterprise_tutor_id],
                          title=gettext_noop("%(student)s handed in %(stage)s"),
                          params={"student": actor.name_for_display, "stage": design.get_stage_display()},
                          url=reverse("projects:graduation"))
        audit_log_record(actor=actor, action="graduation.submit", target=submission)
    except Exception:
        submission.file.delete(save=False)
        raise
    return submission


# --- Entrepreneurship teams -----------------------------------------------------------


@transaction.atomic
def venture_register(*, actor: User, team: Team, business: str, mentor: User,
                     stage: str = Venture.Stage.IDEA) -> Venture:
    if not TeamMember.objects.filter(team=team, user=actor).exists():
        raise NotPermitted(_("Only a member registers the team."))
    if hasattr(team, "venture"):
        raise ApplicationError(_("This team is already an entrepreneurship team."), code="exists")
    if mentor.role not in (Role.TEACHER, Role.ENTERPRISE):
        raise ApplicationError(_("The mentor is a teacher or an enterprise mentor."), code="mentor_role")
    if stage not in Venture.Stage.values or not business.strip():
        raise ApplicationError(_("Describe the business and pick a stage."), code="missing_fields")
    venture = Venture.objects.create(team=team, business=business.strip(), mentor=mentor, stage=stage)
    audit_log_record(actor=actor, action="venture.register", target=venture)
    return venture


@transaction.atomic
def venture_milestone_add(*, actor: User, venture: Venture, title: str, achieved_on: datetime.date,
                          note: str = "", stage: str | None = None) -> VentureMilestone:
    if actor.pk != venture.mentor_id and not TeamMember.objects.filter(team_id=venture.team_id, user=actor).exists():
        raise NotPermitted(_("Only the team and its mentor record milestones."))
    if not title.strip():
        raise ApplicationError(_("Give the milestone a title."), code="missing_fields")
    if achieved_on > timezone.localdate():
        raise ApplicationError(_("A milestone is recorded once achieved."), code="future_date")
    milestone = VentureMilestone.objects.create(venture=venture, title=title.strip()[:200], achieved_on=achieved_on,
                                                note=note.strip())
    if stage and stage != venture.stage:
        if stage not in Venture.Stage.values:
            raise ApplicationError(_("Unknown stage."), code="invalid_stage")
        Venture.objects.filter(pk=venture.pk).update(stage=stage)
    audit_log_record(actor=actor, action="venture.milestone", target=milestone)
    return milestone
