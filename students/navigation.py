from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from . import permissions as perms

IN_GROWTH = {"group": _("Growth records"), "group_icon": "graph-up-arrow"}

NAV_ITEMS = [
    NavItem(label=_("My growth"), url_name="students:home", roles=perms.HOME_ROLES, icon="person-badge", order=20),
    NavItem(label=_("My competences"), url_name="students:my_competences", roles=perms.HOME_ROLES, icon="radar", order=21),
    NavItem(label=_("Points"), url_name="students:points", roles=perms.HOME_ROLES, icon="coin", order=22,
            **IN_GROWTH),
    NavItem(label=_("Rankings"), url_name="students:rankings", roles=perms.RANKING_ROLES, icon="trophy",
            order=23, **IN_GROWTH),
    NavItem(label=_("Class competences"), url_name="students:class_list", roles=perms.CLASS_RADAR_ROLES, icon="people",
            order=24),
    NavItem(label=_("Competitions"), url_name="students:competitions", roles=perms.COMPETITION_ROLES, icon="award",
            order=25, **IN_GROWTH),
    NavItem(label=_("Expert lectures"), url_name="students:lectures", roles=perms.LECTURE_ROLES, icon="mic",
            order=29),
    NavItem(label=_("My resume"), url_name="students:resume", roles=perms.RESUME_OWNER_ROLES,
            icon="file-earmark-person", order=26),
    NavItem(label=_("Student resumes"), url_name="students:resume_browse", roles=perms.RESUME_LIST_ROLES,
            icon="people", order=30),
    NavItem(label=_("Stars of skills"), url_name="students:stars", roles=perms.STARS_VIEW_ROLES, icon="stars",
            order=27, **IN_GROWTH),
    NavItem(label=_("Employment outlook"), url_name="students:outlook", roles=perms.OUTLOOK_ROLES, icon="briefcase",
            order=28, **IN_GROWTH),
    NavItem(label=_("Outlook models"), url_name="students:outlook_admin", roles=perms.OUTLOOK_ADMIN_ROLES,
            icon="graph-up", order=31, **IN_GROWTH),
]
