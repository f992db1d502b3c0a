"""An enterprise case in the shared resource library (teachers' resources) turned into an
order-based project or a graduation topic with one action (issue 14 item 4).

projects sits above teachers, so the action lives here and reads the case through
teachers' selectors (`resource_get_for_user`: visibility in one place). The teachers app
shows the buttons through the RESOURCE_ACTIONS registry (projects/panels.py) without
importing this app. The new project or topic records its `source_case`."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.errors import NotPermitted
from accounts.models import Membership, Organization, Role, User
from accounts.services import audit_log_record
from teachers.models import Resource
from teachers.resources.selectors import resource_get_for_user

from .cohort_models import GraduationTopic
from .cohort_services import topic_propose
from .models import Project
from .permissions import enterprise_ids_for_user
from .services import project_create


def case_get_for_user(*, user: User, case_id: int) -> Resource:
    """The case, if the user may see it (403 otherwise); 404 for anything but a published enterprise
    case (one awaiting the school's review becomes nothing yet, even for its uploader)."""
    resource = resource_get_for_user(user=user, resource_id=case_id)
    if resource.kind != Resource.Kind.CASE or resource.status != Resource.Status.PUBLISHED:
        raise Http404
    return resource


def case_enterprise_may_use(*, user: User, case: Resource) -> bool:
    """Enterprise staff use a case their own enterprise shared, or one the school or an
    industry master shared; another enterprise's case is not theirs to publish."""
    mine = set(enterprise_ids_for_user(user))
    if not mine:
        return False
    if case.uploaded_by.role != Role.ENTERPRISE:
        return True
    theirs = set(Membership.objects.filter(user_id=case.uploaded_by_id, organization__kind=Organization.Kind.ENTERPRISE)
                 .values_list("organization_id", flat=True))
    return bool(mine & theirs)


def case_may_convert(*, user: User, case: Resource, target: str) -> bool:
    if target == "project":
        return user.role == Role.ENTERPRISE and case_enterprise_may_use(user=user, case=case)
    if user.role == Role.TEACHER:
        return True
    return user.role == Role.ENTERPRISE and case_enterprise_may_use(user=user, case=case)


def case_project_initial(*, case: Resource) -> dict:
    return {"title": case.title, "brief": case.description or case.title,
            "competencies": list(case.competencies.all())}


def case_topic_initial(*, case: Resource) -> dict:
    return {"title": case.title, "description": case.description or case.title,
            "major": case.major_id or (case.course.major_id if case.course_id else None)}


@transaction.atomic
def project_from_case(*, actor: User, case: Resource, enterprise: Organization, competency_ids=(),
                      **fields) -> Project:
    """The project is created and sent to moderation like any other (project_create's rules)."""
    if not case_may_convert(user=actor, case=case, target="project"):
        raise NotPermitted(_("Only the staff of the enterprise that shared this case publish it as a project."))
    project = project_create(actor=actor, enterprise=enterprise, competency_ids=competency_ids, **fields)
    project.source_case = case
    project.save(update_fields=["source_case", "updated_at"])
    audit_log_record(actor=actor, action="project.from_case", target=project, data={"case": case.pk})
    return project


@transaction.atomic
def topic_from_case(*, actor: User, case: Resource, **topic_fields) -> GraduationTopic:
    """The topic is proposed like any other (topic_propose's rules) and waits for the school."""
    if not case_may_convert(user=actor, case=case, target="topic"):
        raise NotPermitted(_("Teachers, and the staff of the enterprise that shared this case, propose it as a topic."))
    topic = topic_propose(actor=actor, **topic_fields)
    topic.source_case = case
    topic.save(update_fields=["source_case"])
    audit_log_record(actor=actor, action="topic.from_case", target=topic, data={"case": case.pk})
    return topic
