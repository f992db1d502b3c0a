from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from .permissions import BOOKING_ROLES, HOME_ROLES


def _moderation_badge(user) -> int:
    from .selectors import moderation_pending_count

    return moderation_pending_count()


NAV_ITEMS = [
    NavItem(label=_("Dashboard"), url_name="admin_portal:dashboard", roles=HOME_ROLES, icon="speedometer2", order=70),
    NavItem(label=_("School figures"), url_name="admin_portal:school_dashboard", roles=HOME_ROLES,
            icon="bar-chart-line", order=70.1, group=_("School"), group_icon="building"),
    NavItem(label=_("Construction-plan targets"), url_name="admin_portal:targets", roles=HOME_ROLES, icon="bullseye",
            order=70.2, group=_("School")),
    NavItem(label=_("Moderation"), url_name="admin_portal:moderation", roles=HOME_ROLES, icon="check2-square",
            order=70.3, group=_("School"), badge=_moderation_badge),
    NavItem(label=_("Rooms and equipment"), url_name="admin_portal:equipment", roles=BOOKING_ROLES, icon="pc-display",
            order=70.4, group=_("School")),
    NavItem(label=_("Services to enterprises"), url_name="admin_portal:services", roles=HOME_ROLES,
            icon="briefcase", order=70.5, group=_("School")),
    NavItem(label=_("Audit log"), url_name="admin_portal:audit_log", roles=HOME_ROLES, icon="journal-text",
            order=70.6, group=_("School")),
    NavItem(label=_("Background tasks"), url_name="admin_portal:background_tasks", roles=HOME_ROLES,
            icon="exclamation-octagon", order=71),
]
