from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from enterprises.internships.signals import post_closed

        from .internship_posts import post_round_open

        # An internship post that ended opens its three-party evaluation (issue 11).
        post_closed.connect(post_round_open, dispatch_uid="evaluations.internship_posts.post_round_open")
