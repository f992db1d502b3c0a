from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from .permissions import HOME_ROLES

NAV_ITEMS = [
    NavItem(label=_("Teaching"), url_name="teachers:home", roles=HOME_ROLES, icon="journal-bookmark", order=10),
]
