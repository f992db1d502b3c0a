"""The students app's public write API for higher apps: points, radar recomputes.

Higher apps (an evaluation result, a delivered project, a reviewed internship log)
call these services instead of importing the feature packages."""

from .points.services import points_grant, points_grant_by_rule, points_reverse
from .radar.services import radar_recompute, radar_recompute_for_users, radar_recompute_student

__all__ = [
    "points_grant",
    "points_grant_by_rule",
    "points_reverse",
    "radar_recompute",
    "radar_recompute_for_users",
    "radar_recompute_student",
]
