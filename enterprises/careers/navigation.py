from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import NavItem

from . import permissions as perms

CAREERS = {"group": _("Careers"), "group_icon": "mortarboard"}

NAV_ITEMS = [
    NavItem(label=_("Graduate destinations"), url_name="enterprises:careers_admin",
            roles=perms.CAREERS_ADMIN_ROLES, icon="mortarboard", order=37, **CAREERS),
    NavItem(label=_("Demand vs supply"), url_name="enterprises:careers_demand_supply",
            roles=perms.DEMAND_SUPPLY_ROLES, icon="bar-chart-steps", order=38, **CAREERS),
    NavItem(label=_("Employer feedback"), url_name="enterprises:careers_feedback", roles=perms.FEEDBACK_ROLES,
            icon="star-half", order=37, **CAREERS),
    NavItem(label=_("Careers survey"), url_name="enterprises:careers_survey", roles=(Role.STUDENT,),
            icon="mortarboard", order=38, **CAREERS),
]
