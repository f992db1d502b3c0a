from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from .permissions import HOME_ROLES, SUPERVISE_ROLES

NAV_ITEMS = [
    NavItem(label=_("Deepfake lab"), url_name="deepfake:home", roles=HOME_ROLES, icon="eye", order=60),
    NavItem(label=_("Class detection jobs"), url_name="deepfake:class_jobs", roles=SUPERVISE_ROLES, icon="eye", order=61),
]
