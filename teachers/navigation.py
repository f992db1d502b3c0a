from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

from .permissions import CURRICULUM_ROLES, FEEDBACK_ROLES, HOME_ROLES, REFORM_ROLES, RESOURCE_ROLES, SUPERVISION_ROLES

IN_TEACHING = {"group": _("Teaching"), "group_icon": "journal-bookmark"}

NAV_ITEMS = [
    NavItem(label=_("My offerings"), url_name="teachers:home", roles=HOME_ROLES, icon="journal-bookmark", order=10,
            **IN_TEACHING),
    NavItem(label=_("Courses"), url_name="teachers:course_list", roles=CURRICULUM_ROLES, icon="book", order=11,
            **IN_TEACHING),
    NavItem(label=_("Programs"), url_name="teachers:program_list", roles=CURRICULUM_ROLES, icon="diagram-3",
            order=12, **IN_TEACHING),
    NavItem(label=_("Course reforms"), url_name="teachers:reform_list", roles=REFORM_ROLES, icon="arrow-repeat",
            order=13, **IN_TEACHING),
    NavItem(label=_("Quality supervision"), url_name="teachers:supervision_home", roles=SUPERVISION_ROLES,
            icon="clipboard-check", order=14, **IN_TEACHING),
    NavItem(label=_("Course feedback"), url_name="teachers:course_feedback", roles=FEEDBACK_ROLES,
            icon="chat-square-heart", order=29),
    NavItem(label=_("Shared resources"), url_name="teachers:resource_list", roles=RESOURCE_ROLES,
            icon="collection", order=15, **IN_TEACHING),
]
