"""Projects (issue 12): studios, order-based projects, teams and bids, milestones, ratings,
selection rounds, order classes, graduation design.

The world: the matrix enterprise publishes; the matrix student and teacher form the team
that bid for the open project and won the one in progress; the other student and teacher
are on no team (they see published projects, never the bids or the work); the other
enterprise sees none of the enterprise's projects. The student is in the round's major and
intake year; the teacher and the enterprise tutor the graduation topic."""

from __future__ import annotations

import datetime

from . import Case, World, api, page

HOME = ("student", "teacher", "enterprise", "school_admin")
TEAM = ("student", "teacher")
HIDDEN = {"other_student": 404, "other_teacher": 404, "other_enterprise": 404}
HIDDEN_FROM_TEAM = {"other_student": 404, "other_teacher": 404}
HIDDEN_FROM_OWNERS = {"teacher": 404, "other_teacher": 404, "other_enterprise": 404}


def projects_world(world: World) -> dict:
    def build():
        from django.core.files.base import ContentFile
        from django.utils import timezone

        from accounts.models import Membership
        from projects.models import (
            Bid,
            GraduationDesign,
            GraduationSubmission,
            GraduationTopic,
            Milestone,
            MilestoneSubmission,
            OrderClass,
            Project,
            SelectionOption,
            SelectionRound,
            Studio,
            StudioMember,
        )
        from teachers.models import Course
        from tests.factories import OrganizationFactory
        from tests.growth import factories as growth
        from tests.projects import factories as f

        users = world.users
        org = OrganizationFactory(kind="enterprise", code="mx-pj-ent")
        Membership.objects.create(organization=org, user=users["enterprise"])
        other_org = OrganizationFactory(kind="enterprise", code="mx-pj-ent2")
        Membership.objects.create(organization=other_org, user=users["other_enterprise"])
        klass = growth.school_class(code="MX-PJ-1", year=2024)
        student = growth.student(user=users["student"], klass=klass, number="MXPJ1")
        team = f.team(users["student"], users["teacher"], name="MX team")
        open_project = f.project(org, users["enterprise"])
        bid = Bid.objects.create(project=open_project, team=team, proposal="p", plan="p",
                                 submitted_by=users["student"])
        work, milestone = f.project_in_progress(org, users["enterprise"], team)
        submission = MilestoneSubmission(milestone=milestone, original_name="r.pdf", content_type="application/pdf",
                                         size_bytes=len(f.PDF), sha256="0" * 64, uploaded_by=users["student"])
        submission.file.save("mx.pdf", ContentFile(f.PDF), save=False)
        submission.save()
        studio = Studio.objects.create(code="mx-studio", skill_area="marketing", title="MX studio")
        StudioMember.objects.create(studio=studio, user=users["teacher"], role="lead", status="admitted")
        application = StudioMember.objects.create(studio=studio, user=users["other_student"], role="student")
        order_class = OrderClass.objects.create(enterprise=org, major=klass.major, intake_year=2024, capacity=5,
                                                criteria="c", title="MX order class", created_by=users["enterprise"])
        selection_round = SelectionRound.objects.create(
            kind="order_class", title="MX round", major=klass.major, intake_year=2024,
            apply_deadline=timezone.now() + datetime.timedelta(days=3), created_by=users["school_admin"])
        option = SelectionOption.objects.create(round=selection_round, capacity=5, order_class=order_class)
        course = Course.objects.create(code="MX602", name="毕业设计", major=klass.major)
        topic = GraduationTopic.objects.create(
            title="MX topic", description="d", major=klass.major, course=course, proposed_by=users["teacher"],
            enterprise=org, school_tutor=users["teacher"], enterprise_tutor=users["enterprise"], status="approved")
        design = GraduationDesign.objects.create(topic=topic, student=student)
        from projects.models import Venture

        venture = Venture.objects.create(team=team, business="b", mentor=users["teacher"])
        grad_file = GraduationSubmission(design=design, stage="proposal", original_name="g.pdf",
                                         content_type="application/pdf", size_bytes=len(f.PDF), sha256="0" * 64,
                                         uploaded_by=users["student"])
        grad_file.file.save("mx-g.pdf", ContentFile(f.PDF), save=False)
        grad_file.save()
        assert open_project.status == Project.Status.OPEN and milestone.status == Milestone.Status.PENDING
        return {"open": open_project, "bid": bid, "work": work, "milestone": milestone, "submission": submission,
                "studio": studio, "application": application, "order_class": order_class,
                "round": selection_round, "option": option, "topic": topic, "design": design, "grad_file": grad_file,
                "venture": venture}

    return world.once("projects", build)


def _kw(name: str, key: str):
    return lambda world: {name: projects_world(world)[key].pk}


def _world_only(world: World) -> dict:
    projects_world(world)
    return {}


def _round_action(world: World) -> dict:
    return {"round_id": projects_world(world)["round"].pk, "action": "close"}


OPEN = _kw("project_id", "open")
WORK = _kw("project_id", "work")
BID = _kw("bid_id", "bid")
MILESTONE = _kw("milestone_id", "milestone")
ROUND = _kw("round_id", "round")
DESIGN = _kw("design_id", "design")

CASES = [
    # Pages
    Case("projects:home", page(*HOME), build=_world_only),
    Case("projects:project_list", page(*HOME), build=_world_only),
    Case("projects:project_create", page("enterprise")),
    Case("projects:project_create", page("enterprise", ok=400), method="post", data={}, note="empty form"),
    Case("projects:project_detail", page(*HOME, other_enterprise=404), build=OPEN,
         note="published: every student and teacher; the enterprise's own only"),
    Case("projects:project_moderate", page("school_admin", ok=400), method="post", build=OPEN, data={}),
    Case("projects:project_resubmit", page("enterprise", ok=400, other_enterprise=404), method="post", build=OPEN,
         note="an open project is not resubmitted"),
    Case("projects:bid", page(*TEAM, ok=400), method="post", build=OPEN, data={}),
    Case("projects:project_rate", page("enterprise", ok=400, other_enterprise=404), method="post", build=OPEN,
         data={}),
    Case("projects:bid_select", page("enterprise", ok=302, other_enterprise=404), method="post", build=BID,
         data={}, note="the owner selects; another enterprise does not see the bid"),
    Case("projects:milestone_submit", page(*TEAM, ok=400, **HIDDEN_FROM_TEAM), method="post", build=MILESTONE, data={},
         note="only the selected team reaches the milestone"),
    Case("projects:milestone_review", page("enterprise", ok=400, other_enterprise=404), method="post",
         build=MILESTONE, data={}),
    Case("projects:deliverable", page(*HOME, **HIDDEN), build=_kw("submission_id", "submission"),
         note="the team, the enterprise and the school"),
    Case("projects:teams", page(*TEAM)),
    Case("projects:team_create", page(*TEAM, ok=400), method="post", data={}),
    Case("projects:ventures", page(*HOME)),
    Case("projects:venture_register", page(*TEAM, ok=400), method="post", data={}),
    Case("projects:venture_milestone", page("student", "teacher", "enterprise", ok=403, student=400, teacher=400,
                                                    other_student=403, other_teacher=403),
         method="post", build=_kw("venture_id", "venture"), data={"title": "x", "achieved_on": "not a date"},
         note="the team (a bad date: 400); others, the other enterprise included, are refused (403)"),
    Case("projects:studios", page(*HOME), build=_world_only),
    Case("projects:studio_detail", page(*HOME), build=_kw("studio_id", "studio")),
    Case("projects:studio_apply", page("student", ok=302, other_student=400), method="post",
         build=_kw("studio_id", "studio"), data={"motivation": "x"}, note="the other student has already applied"),
    Case("projects:studio_decide", page("teacher", "school_admin", ok=302, other_teacher=403), method="post",
         build=_kw("member_id", "application"), data={"decision": "admit"},
         note="the studio's lead teacher (or the school) decides"),
    Case("projects:rounds", page(*HOME), build=_world_only),
    Case("projects:round_detail", page("student", "enterprise", "school_admin", teacher=404, **HIDDEN),
         build=ROUND, note="students of the round's major and year, the options' owners, the school"),
    Case("projects:round_apply", page("student", ok=400, other_student=404), method="post", build=ROUND, data={}),
    Case("projects:round_rank", page("student", ok=302, other_student=404), method="post", build=ROUND, data={}),
    Case("projects:round_action", page("school_admin", ok=302), method="post", build=_round_action),
    Case("projects:option_rank", page("enterprise", "school_admin", ok=400, **HIDDEN_FROM_OWNERS), method="post",
         build=_kw("option_id", "option"), data={}, note="applicants are ranked after applications close"),
    Case("projects:order_classes", page(*HOME), build=_world_only),
    Case("projects:order_class_detail", page(*HOME, other_enterprise=404), build=_kw("order_class_id", "order_class")),
    Case("projects:graduation", page(*HOME), build=_world_only),
    Case("projects:topic_propose", page("teacher", "enterprise", ok=400), method="post", data={}),
    Case("projects:topic_review", page("school_admin", ok=400), method="post", build=_kw("topic_id", "topic"),
         data={"decision": "approve"}, note="already approved"),
    Case("projects:design_grade", page("teacher", "enterprise", ok=400, other_teacher=404, other_enterprise=404),
         method="post", build=DESIGN, data={}, note="only the topic's two tutors"),
    Case("projects:design_submit", page("student", ok=400, other_student=404), method="post", build=DESIGN, data={}),
    Case("projects:graduation_file", page(*HOME, **HIDDEN), build=_kw("submission_id", "grad_file")),
    # API
    Case("api:projects-list", api(*HOME), build=_world_only),
    Case("api:projects-list", api("enterprise", ok=400, student=403), method="post", data={},
         content_type="application/json"),
    Case("api:projects-detail", api(*HOME, other_enterprise=404), build=OPEN),
    Case("api:projects-moderate", api("school_admin", ok=400), method="post", build=OPEN, data={},
         content_type="application/json"),
    Case("api:projects-bids", api(*HOME, other_enterprise=404), build=OPEN,
         note="teams see only their bids, enterprises only their projects' bids (tests/projects/test_api.py)"),
    Case("api:projects-bids", api(*TEAM, ok=400), method="post", build=OPEN, data={},
         content_type="application/json"),
    Case("api:projects-milestones", api(*HOME, **HIDDEN), build=WORK),
    Case("api:projects-rating", api("enterprise", ok=400, other_enterprise=404), method="post", build=OPEN, data={},
         content_type="application/json"),
    Case("api:bids-list", api(*HOME), build=_world_only),
    Case("api:bids-select", api("enterprise", other_enterprise=404), method="post", build=BID, data={},
         content_type="application/json"),
    Case("api:milestones-submit", api(*TEAM, ok=400, **HIDDEN_FROM_TEAM), method="post", build=MILESTONE, data={}),
    Case("api:milestones-review", api("enterprise", ok=400, other_enterprise=404), method="post", build=MILESTONE,
         data={}, content_type="application/json"),
    Case("api:teams-list", api(*TEAM), build=_world_only),
    Case("api:teams-list", api(*TEAM, ok=400), method="post", data={}, content_type="application/json"),
    Case("api:studios-list", api(*HOME), build=_world_only),
    Case("api:selection-rounds-list", api(*HOME), build=_world_only),
    Case("api:selection-rounds-list", api("school_admin", ok=400), method="post", data={},
         content_type="application/json"),
    Case("api:selection-rounds-detail", api("school_admin"), build=ROUND),
    Case("api:selection-rounds-action", api("school_admin"), method="post", build=_round_action, data={},
         content_type="application/json"),
    Case("api:selection-rounds-apply", api("student", ok=400, other_student=404), method="post", build=ROUND,
         data={}, content_type="application/json"),
    Case("api:selection-rounds-rank", api("student", ok=400, other_student=404), method="post", build=ROUND,
         data={}, content_type="application/json"),
    Case("api:selection-rounds-result", api("student", other_student=404), build=ROUND),
    Case("api:selection-options-rank", api("enterprise", "school_admin", ok=400, **HIDDEN_FROM_OWNERS),
         method="post", build=_kw("option_id", "option"), data={}, content_type="application/json"),
    Case("api:order-classes-list", api(*HOME), build=_world_only),
    Case("api:graduation-topics-list", api(*HOME), build=_world_only),
    Case("api:graduation-designs-grade", api("teacher", "enterprise", ok=400, other_teacher=404,
                                             other_enterprise=404), method="post", build=DESIGN, data={},
         content_type="application/json"),
    Case("api:graduation-designs-submit", api("student", ok=400, other_student=404), method="post", build=DESIGN,
         data={}),
]
