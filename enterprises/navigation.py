from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from .permissions import HOME_ROLES

NAV_ITEMS = [
    NavItem(label=_("Enterprise"), url_name="enterprises:home", roles=HOME_ROLES, icon="building", order=30),
]
