"""What the round page shows to whom. The evaluated student sees parties, scores and
comments labelled by party only; rater names are for the organiser and administrators."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Role

from . import selectors
from .models import Party, Round


def round_context(*, user, round_: Round) -> dict:
    template = selectors.template_get(template_id=round_.template_id)
    dimension_labels = {d.code: d.display_name for d in template.dimensions.all()}
    party_labels = dict(Party.choices)
    result = round_.current_result if selectors.round_result_visible(user=user, round_=round_) else None
    names_visible = selectors.round_rater_names_visible(user=user, round_=round_)
    is_owner = user.role == Role.STUDENT and round_.student.user_id == user.pk
    parties, dimensions, chart = [], [], None
    if result is not None:
        parties = [{**p, "label": party_labels.get(p["party"], p["party"])} for p in result.parties]
        dimensions = [{**d, "label": dimension_labels.get(d["code"], d["code"])} for d in result.dimensions]
        chart = {
            "parties": {"labels": [str(p["label"]) for p in parties if p["counted"]],
                        "scores": [p["score"] for p in parties if p["counted"]]},
            "dimensions": {"labels": [str(d["label"]) for d in dimensions], "scores": [d["score"] for d in dimensions]},
        }
    appeal = selectors.round_appeal(round_=round_)
    can_appeal = (is_owner and round_.status == Round.Status.FINALISED and round_.appeal_closes_at is not None
                  and timezone.now() < round_.appeal_closes_at
                  and not (appeal and appeal.result_id == round_.current_result_id))
    comments = selectors.round_comments(round_=round_) if result is not None or names_visible else []
    for line in comments:
        line.dimension_label = dimension_labels.get(line.dimension, line.dimension)
    return {
        "round": round_, "template": template, "result": result, "parties": parties, "dimensions": dimensions,
        "chart": chart, "flags": [{**f, "label": party_labels.get(f["party"], f["party"])} for f in
                                  (result.flags if result else [])],
        "names_visible": names_visible, "is_owner": is_owner,
        "invitations": list(selectors.round_invitations(round_=round_)) if names_visible else [],
        "comments": comments, "appeal": appeal, "can_appeal": can_appeal,
        "reward": selectors.round_reward(round_=round_), "is_admin": user.role == Role.SCHOOL_ADMIN,
        "contributions": _contributions(round_=round_, result=result),
    }


def _contributions(*, round_: Round, result) -> list:
    if result is None:
        return []
    from .practice import practice_contributions_for_round

    return practice_contributions_for_round(round_=round_)
