"""The students app's public write API for higher apps: points, radar recomputes.

Higher apps (an evaluation result, a delivered project, a reviewed internship log)
call these services instead of importing the feature packages."""

from .outlook.services import alumni_counts, alumni_upsert_real, outlook_train
from .points.services import points_grant, points_grant_by_rule, points_reverse
from .radar.practice import PracticeEvidenceRow, practice_evidence_replace
from .radar.services import radar_recompute, radar_recompute_for_users, radar_recompute_student

__all__ = [
    "alumni_counts",
    "alumni_upsert_real",
    "outlook_train",
    "PracticeEvidenceRow",
    "points_grant",
    "points_grant_by_rule",
    "points_reverse",
    "practice_evidence_replace",
    "radar_recompute",
    "radar_recompute_for_users",
    "radar_recompute_student",
]
