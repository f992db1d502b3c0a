from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from .permissions import HOME_ROLES

NAV_ITEMS = [
    NavItem(label=_("Evaluations"), url_name="evaluations:home", roles=HOME_ROLES, icon="clipboard-check", order=50),
]
