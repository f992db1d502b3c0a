"""The students app's public read API for higher apps (enterprises, projects,
evaluations, deepfake, admin_portal): import these names from here, never from the
feature packages, so that the students app can reorganise its insides freely."""

from .profiles.figures import group_field, grouped_aggregate, grouped_breakdown, student_scope_q, students_in_scope
from .profiles.selectors import (
    school_class_get_for_user,
    student_get_for_user,
    student_profile_for_user,
    user_can_view_student,
)
from .radar.selectors import Radar, attainments_for_students, cohort_average, radar_for_student, radar_history
from .rankings.selectors import current_tier

__all__ = [
    "Radar",
    "attainments_for_students",
    "cohort_average",
    "current_tier",
    "group_field",
    "grouped_aggregate",
    "grouped_breakdown",
    "radar_for_student",
    "radar_history",
    "school_class_get_for_user",
    "student_get_for_user",
    "student_profile_for_user",
    "student_scope_q",
    "students_in_scope",
    "user_can_view_student",
]
