from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from .permissions import HOME_ROLES

NAV_ITEMS = [
    NavItem(label=_("Dashboard"), url_name="admin_portal:dashboard", roles=HOME_ROLES, icon="speedometer2", order=70),
    NavItem(label=_("Background tasks"), url_name="admin_portal:background_tasks", roles=HOME_ROLES,
            icon="exclamation-octagon", order=71),
]
