from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from .permissions import CLASS_RADAR_ROLES, HOME_ROLES

NAV_ITEMS = [
    NavItem(label=_("My growth"), url_name="students:home", roles=HOME_ROLES, icon="person-badge", order=20),
    NavItem(label=_("My competences"), url_name="students:my_competences", roles=HOME_ROLES, icon="radar", order=21),
    NavItem(label=_("Class competences"), url_name="students:class_list", roles=CLASS_RADAR_ROLES, icon="people",
            order=22),
]
