"""The end of an internship post opens its evaluation (issue 11): the enterprises app sends
`post_closed` when a post's dates end; here one round of the major's three-party template
is opened for the intern, with the school tutor and the enterprise mentor invited."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from accounts.errors import ApplicationError

logger = logging.getLogger(__name__)
EVALUATION_DAYS = 14


def post_round_open(sender, post, **kwargs) -> None:
    from .defaults import default_templates_ensure
    from .services import rounds_create

    placement = post.placement
    if not (placement.tutor_id and placement.mentor_id):
        return  # the three-party template needs both raters
    try:
        with transaction.atomic():  # a savepoint: a refusal leaves the post closed
            template = default_templates_ensure(major=placement.student.major)["three"]
            rounds_create(actor=placement.tutor, kind="internship_post", subject_id=post.pk, template=template,
                          deadline=timezone.now() + datetime.timedelta(days=EVALUATION_DAYS),
                          raters={"teacher": [placement.tutor_id], "mentor": [placement.mentor_id]},
                          student_user_ids=[placement.student.user_id])
    except ApplicationError as exc:
        logger.warning("internship post %s closed without an evaluation: %s", post.pk, exc.message)
