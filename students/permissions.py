"""Who may use the students app. Object-level rules live in students.selectors
(`student_get_for_user`, `school_class_get_for_user`)."""

from accounts.models import Role

HOME_ROLES = (Role.STUDENT,)
# A student's radar: the student, their teachers, school administrators.
RADAR_VIEWER_ROLES = (Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN)
CLASS_RADAR_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)
