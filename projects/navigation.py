from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from .permissions import HOME_ROLES

NAV_ITEMS = [
    NavItem(label=_("Projects"), url_name="projects:home", roles=HOME_ROLES, icon="kanban", order=40),
]
