"""Role checks in one place. Object-level rules live in each app's permissions.py
and its `<thing>_get_for_user` selectors, which raise 404/403 in one place."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from .models import Role

ALL_ROLES = tuple(Role.values)
STAFF_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)

# Where each role lands after logging in.
ROLE_HOME = {
    Role.STUDENT: "students:home",
    Role.TEACHER: "teachers:home",
    Role.ENTERPRISE: "enterprises:home",
    Role.INDUSTRY: "evaluations:home",
    Role.SCHOOL_ADMIN: "admin_portal:dashboard",
}


def user_has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.role in roles)


class RoleRequiredMixin(AccessMixin):
    """Class-based views: anonymous users go to the login page, other roles get 403."""

    allowed_roles: tuple[str, ...] = ALL_ROLES

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_has_role(request.user, *self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def role_required(*roles: str) -> Callable:
    """Function views: the same rule as RoleRequiredMixin."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not user_has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class HasRole(BasePermission):
    """DRF: `permission_classes = [HasRole.of(Role.TEACHER, Role.SCHOOL_ADMIN)]`."""

    roles: tuple[str, ...] = ALL_ROLES

    @classmethod
    def of(cls, *roles: str) -> type[HasRole]:
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": tuple(roles)})

    def has_permission(self, request, view) -> bool:
        return user_has_role(request.user, *self.roles)
