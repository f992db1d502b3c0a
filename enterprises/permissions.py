"""Who may do what in the talent market. Object-level rules (which posting, which
application, whose resume) live in selectors.py, which raise 404/403 in one place."""

from __future__ import annotations

from accounts.models import Role

HOME_ROLES = (Role.ENTERPRISE,)
# Enterprise staff manage postings, pipelines and their organisation.
POSTING_OWNER_ROLES = (Role.ENTERPRISE,)
# Enterprises and industry associations (industrial alliances) state their talent demand.
DEMAND_ROLES = (Role.ENTERPRISE, Role.INDUSTRY)
MODERATOR_ROLES = (Role.SCHOOL_ADMIN,)
# Students apply; everyone signed in may read published postings.
APPLICANT_ROLES = (Role.STUDENT,)
POSTING_READER_ROLES = (Role.STUDENT, Role.TEACHER, Role.ENTERPRISE, Role.INDUSTRY, Role.SCHOOL_ADMIN)
CANDIDATE_VIEWER_ROLES = (Role.ENTERPRISE, Role.SCHOOL_ADMIN)
# A student's matches: the student, their teachers and school administrators
# (students.selectors.user_can_view_student decides which student).
MATCH_VIEWER_ROLES = (Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN)
