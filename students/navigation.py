from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import NavItem

from . import growth_permissions as growth
from .permissions import CLASS_RADAR_ROLES, HOME_ROLES

IN_GROWTH = {"group": _("Growth records"), "group_icon": "graph-up-arrow"}

NAV_ITEMS = [
    NavItem(label=_("My growth"), url_name="students:home", roles=HOME_ROLES, icon="person-badge", order=20),
    NavItem(label=_("My competences"), url_name="students:my_competences", roles=HOME_ROLES, icon="radar", order=21),
    NavItem(label=_("Points"), url_name="students:points", roles=HOME_ROLES, icon="coin", order=22,
            **IN_GROWTH),
    NavItem(label=_("Rankings"), url_name="students:rankings", roles=growth.RANKING_ROLES, icon="trophy",
            order=23, **IN_GROWTH),
    NavItem(label=_("Class competences"), url_name="students:class_list", roles=CLASS_RADAR_ROLES, icon="people",
            order=24),
    NavItem(label=_("Competitions"), url_name="students:competitions", roles=growth.COMPETITION_ROLES, icon="award",
            order=25, **IN_GROWTH),
    NavItem(label=_("My resume"), url_name="students:resume", roles=growth.RESUME_OWNER_ROLES,
            icon="file-earmark-person", order=26),
    NavItem(label=_("Student resumes"), url_name="students:resume_browse", roles=(Role.ENTERPRISE, Role.SCHOOL_ADMIN),
            icon="people", order=30),
    NavItem(label=_("Stars of skills"), url_name="students:stars", roles=growth.STARS_VIEW_ROLES, icon="stars",
            order=27, **IN_GROWTH),
    NavItem(label=_("Employment outlook"), url_name="students:outlook", roles=growth.OUTLOOK_ROLES, icon="briefcase",
            order=28, **IN_GROWTH),
    NavItem(label=_("Outlook models"), url_name="students:outlook_admin", roles=growth.OUTLOOK_ADMIN_ROLES,
            icon="graph-up", order=31, **IN_GROWTH),
]
