"""The deepfake lab's usage on the school dashboard (contract: accounts/dashboard.py)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import Figure, Kpi

from .challenges.models import Experiment, Submission
from .models import DetectionJob


def _lab_usage(scope, group_by):
    jobs = DetectionJob.objects.filter(created_at__year=scope.year).count()
    submissions = Submission.objects.filter(created_at__year=scope.year).count()
    experiments = Experiment.objects.filter(created_at__year=scope.year).count()
    return {None: Figure.count(jobs + submissions + experiments, {
        gettext("Detection jobs"): float(jobs),
        gettext("Challenge submissions"): float(submissions),
        gettext("Training experiments"): float(experiments),
    })}


DASHBOARD_KPIS = [
    Kpi(code="lab_usage", name=_("Deepfake lab usage"), unit="count", order=90, figures=_lab_usage,
        school_wide_only=True,
        help=_("Detection jobs, challenge submissions and training experiments created in the year, "
               "school-wide (every status counted: the work was done).")),
]
