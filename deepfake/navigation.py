from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import NavItem

from .permissions import HOME_ROLES, SUPERVISE_ROLES

LAB = _("Deepfake lab")

NAV_ITEMS = [
    NavItem(label=LAB, url_name="deepfake:home", roles=HOME_ROLES, icon="eye", order=60,
            group=LAB, group_icon="eye"),
    NavItem(label=_("Class detection jobs"), url_name="deepfake:class_jobs", roles=SUPERVISE_ROLES, icon="people",
            order=61, group=LAB, group_icon="eye"),
    NavItem(label=_("Class challenges"), url_name="deepfake:challenge_list", roles=HOME_ROLES, icon="trophy",
            order=62, group=LAB, group_icon="eye"),
    NavItem(label=_("Experiments"), url_name="deepfake:experiment_list", roles=(Role.STUDENT, Role.TEACHER),
            icon="graph-up", order=63, group=LAB, group_icon="eye"),
    NavItem(label=_("Experiment guides and lab reports"), url_name="deepfake:guide_list", roles=HOME_ROLES,
            icon="journal-text", order=64, group=LAB, group_icon="eye"),
]
