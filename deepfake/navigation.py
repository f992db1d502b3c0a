from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from .permissions import HOME_ROLES

NAV_ITEMS = [
    NavItem(label=_("Deepfake lab"), url_name="deepfake:home", roles=HOME_ROLES, icon="eye", order=60),
]
