"""Each app's home page, open to the roles the app serves."""

from . import Case, page

CASES = [
    Case("teachers:home", page("teacher")),
    Case("students:home", page("student")),
    Case("enterprises:home", page("enterprise")),
    Case("projects:home", page("student", "teacher", "enterprise", "school_admin")),
    Case("evaluations:home", page("student", "teacher", "enterprise", "industry", "school_admin")),
    Case("deepfake:home", page("student", "teacher", "school_admin")),
    Case("admin_portal:dashboard", page("school_admin")),
]
