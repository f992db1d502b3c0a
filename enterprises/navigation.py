from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import NavItem

from . import permissions as perms

IN_MARKET = {"group": _("Talent market"), "group_icon": "briefcase"}
STAFF_READERS = (Role.TEACHER, Role.SCHOOL_ADMIN, Role.INDUSTRY)

NAV_ITEMS = [
    # enterprise staff
    NavItem(label=_("Recruiting"), url_name="enterprises:home", roles=perms.HOME_ROLES, icon="kanban", order=29),
    NavItem(label=_("New posting"), url_name="enterprises:posting_create", roles=perms.POSTING_OWNER_ROLES,
            icon="plus-square", order=32, **IN_MARKET),
    NavItem(label=_("Talent demand"), url_name="enterprises:demand", roles=perms.DEMAND_ROLES, icon="bar-chart",
            order=33, **IN_MARKET),
    NavItem(label=_("Organisation"), url_name="enterprises:organization", roles=perms.DEMAND_ROLES,
            icon="building", order=34, **IN_MARKET),
    # students
    NavItem(label=_("Jobs and internships"), url_name="enterprises:posting_browse", roles=perms.APPLICANT_ROLES,
            icon="briefcase", order=29, **IN_MARKET),
    NavItem(label=_("My applications"), url_name="enterprises:my_applications", roles=perms.APPLICANT_ROLES,
            icon="send", order=32, **IN_MARKET),
    NavItem(label=_("Career profile"), url_name="enterprises:career_profile", roles=perms.APPLICANT_ROLES,
            icon="person-vcard", order=33, **IN_MARKET),
    # school staff and industry masters
    NavItem(label=_("Postings"), url_name="enterprises:posting_browse", roles=STAFF_READERS, icon="briefcase",
            order=35, **IN_MARKET),
    NavItem(label=_("Posting review"), url_name="enterprises:moderation", roles=perms.MODERATOR_ROLES,
            icon="check2-square", order=36, **IN_MARKET),
]

# Internships (issue 11)
from .internships.navigation import NAV_ITEMS as INTERNSHIP_NAV_ITEMS  # noqa: E402

NAV_ITEMS += INTERNSHIP_NAV_ITEMS
# careers after graduation, employer feedback, demand vs supply (enterprises/careers/)
from .careers.navigation import NAV_ITEMS as CAREERS_NAV_ITEMS  # noqa: E402

NAV_ITEMS += CAREERS_NAV_ITEMS
