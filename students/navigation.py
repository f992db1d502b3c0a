from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from . import growth_permissions as growth
from .permissions import CLASS_RADAR_ROLES, HOME_ROLES

NAV_ITEMS = [
    NavItem(label=_("My growth"), url_name="students:home", roles=HOME_ROLES, icon="person-badge", order=20),
    NavItem(label=_("My competences"), url_name="students:my_competences", roles=HOME_ROLES, icon="radar", order=21),
    NavItem(label=_("Points"), url_name="students:points", roles=HOME_ROLES, icon="coin", order=22),
    NavItem(label=_("Rankings"), url_name="students:rankings", roles=growth.RANKING_ROLES, icon="trophy", order=23),
    NavItem(label=_("Class competences"), url_name="students:class_list", roles=CLASS_RADAR_ROLES, icon="people",
            order=24),
]
