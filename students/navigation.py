from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from .permissions import HOME_ROLES

NAV_ITEMS = [
    NavItem(label=_("My growth"), url_name="students:home", roles=HOME_ROLES, icon="person-badge", order=20),
]
