"""Four-in-one evaluation (issue 13). The matrix student is evaluated in a finalised, rewarded
round organised by the matrix teacher, with the matrix enterprise user as mentor and the
industry user as master; the "other_" actors have nothing to do with it (404)."""

from __future__ import annotations

from . import Case, World, api, page


def evaluation_world(world: World) -> dict:
    def build():
        from evaluations import services
        from evaluations.rewards import _reward, appeal_create
        from tests.evaluations.builders import build_world, open_rounds, uniform_scores

        ev = build_world(students=4, teacher=world.users["teacher"], mentor=world.users["enterprise"],
                         master=world.users["industry"], admin=world.users["school_admin"],
                         student_users=[world.users["student"]], prefix="mx")
        open_rounds(ev)
        round_ = ev.round_of(ev.students[0])
        for invitation in round_.invitations.exclude(party="self").select_related("rater"):
            services.submission_create(actor=invitation.rater, invitation_id=invitation.pk,
                                       scores=uniform_scores(round_.template, 90))
        round_.refresh_from_db()
        _reward(round_=round_, result=round_.current_result)
        appeal = appeal_create(actor=world.users["student"], round_id=round_.pk, reason="矩阵")
        teacher_invitation = ev.invitation(round_, world.users["teacher"])
        self_invitation = ev.invitation(round_, world.users["student"])
        return {"round": round_, "appeal": appeal, "teacher_invitation": teacher_invitation,
                "self_invitation": self_invitation, "template": ev.templates["four"]}

    return world.once("evaluations", build)


def _round(world):
    return {"round_id": evaluation_world(world)["round"].pk}


def _teacher_invitation(world):
    return {"invitation_id": evaluation_world(world)["teacher_invitation"].pk}


def _self_invitation(world):
    return {"invitation_id": evaluation_world(world)["self_invitation"].pk}


def _appeal(world):
    return {"appeal_id": evaluation_world(world)["appeal"].pk}


def _template(world):
    return {"template_id": evaluation_world(world)["template"].pk}


ALL = ("student", "teacher", "enterprise", "industry", "school_admin")
# The round: its student, organiser (teacher), mentor (enterprise), master (industry), administrators.
ROUND = page(*ALL, other_student=404, other_teacher=404, other_enterprise=404)
ROUND_API = api(*ALL, other_student=404, other_teacher=404, other_enterprise=404)
# The teacher's own invitation: every other rater role gets 404 (it is not theirs).
TEACHER_INVITATION = page(*ALL, ok=404, teacher=200, other_teacher=404)

CASES = [
    Case("evaluations:submit", TEACHER_INVITATION, build=_teacher_invitation),
    Case("evaluations:submit", page(*ALL, ok=404, student=409, other_student=404), method="post",
         build=_self_invitation, data={"score-basic.tools": "50"},
         note="the student's self-evaluation after the round was finalised: 409, nothing written"),
    Case("evaluations:rounds", page("teacher", "enterprise", "industry", "school_admin")),
    Case("evaluations:round_create", page("teacher", "enterprise", "school_admin")),
    Case("evaluations:round_create", page("teacher", "enterprise", "school_admin", ok=400), method="post",
         data={"kind": "course_offering"}, note="incomplete form: 400"),
    Case("evaluations:round_detail", ROUND, build=_round),
    Case("evaluations:round_open", page("teacher", "enterprise", "school_admin", ok=302, enterprise=404,
                                        other_teacher=404, other_enterprise=404),
         method="post", build=_round, note="not a draft: a message, nothing changes; the mentor is no organiser"),
    Case("evaluations:appeal_create", page("student", ok=302, other_student=404), method="post", build=_round,
         data={"reason": "again"}, note="a second appeal is refused with a message"),
    Case("evaluations:certificate", ROUND, build=_round),
    Case("evaluations:appeals", page("school_admin")),
    Case("evaluations:appeal_decide", page("school_admin", ok=302), method="post", build=_appeal,
         data={"decision": "reject"}),
    Case("evaluations:leniency", page("school_admin")),
    Case("evaluations:templates", page("school_admin")),
    Case("evaluations:template_edit", page("school_admin"), build=_template),
    Case("evaluations:credit_set", page("school_admin", ok=302), method="post",
         data={"kind": "internship", "credit": "4"}),
    Case("api:evaluations-rounds", api(*ALL)),
    Case("api:evaluations-round-detail", ROUND_API, build=_round),
    Case("api:evaluations-round-result", ROUND_API, build=_round),
    Case("api:evaluations-invitations", api(*ALL)),
    Case("api:evaluations-submission", api(*ALL, ok=404, teacher=200, other_teacher=404),
         build=_teacher_invitation),
]
