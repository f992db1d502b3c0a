from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import NavItem

IN_INTERNSHIPS = {"group": _("Internships"), "group_icon": "person-workspace"}

NAV_ITEMS = [
    NavItem(label=_("My internship"), url_name="enterprises:internship_home", roles=(Role.STUDENT,),
            icon="person-workspace", order=28),
    NavItem(label=_("Internship desk"), url_name="enterprises:internship_home",
            roles=(Role.TEACHER, Role.ENTERPRISE, Role.SCHOOL_ADMIN), icon="person-workspace", order=28,
            **IN_INTERNSHIPS),
    NavItem(label=_("Review logs"), url_name="enterprises:internship_review", roles=(Role.TEACHER, Role.ENTERPRISE),
            icon="journal-check", order=28, **IN_INTERNSHIPS),
    NavItem(label=_("Assign a class"), url_name="enterprises:internship_assign",
            roles=(Role.TEACHER, Role.SCHOOL_ADMIN), icon="people", order=28, **IN_INTERNSHIPS),
]
