"""Create and edit pages for studios (teachers lead them; administrators too) and order
classes (the sponsoring enterprise or a school administrator). Rules: projects/editing.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import ApplicationError
from accounts.models import Organization, Role
from accounts.permissions import RoleRequiredMixin

from . import cohort_selectors, cohort_services, editing, selectors, services
from .forms import OrderClassForm, StudioForm
from .models import StudioMember
from .permissions import ORDER_CLASS_CREATE_ROLES, enterprise_ids_for_user

STUDIO_EDIT_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)
TEMPLATE = "projects/edit_form.html"


def _page(request, *, form, title, back_url, status=200):
    return render(request, TEMPLATE, {"form": form, "title": title, "back_url": back_url}, status=status)


def _submit(request, form, *, write, done: str, title: str, back_url: str):
    """Validate, call `write(cleaned_data)` (a service; returns the URL to go to), say how
    it went; a refusal shows the form again with the reason (400)."""
    if form.is_valid():
        try:
            url = write(form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, done)
            return redirect(url)
    return _page(request, form=form, title=title, back_url=back_url, status=400)


def _studio_args(data: dict) -> dict:
    data = dict(data)
    return {**{k: data[k] for k in ("code", "title", "title_en", "skill_area", "description", "major", "is_open")},
            "lead_ids": [u.pk for u in data["leads"]], "mentor_ids": [u.pk for u in data["mentors"]]}


class StudioCreateView(RoleRequiredMixin, View):
    allowed_roles = STUDIO_EDIT_ROLES

    def get(self, request):
        return _page(request, form=StudioForm(), title=_("New studio"), back_url="projects:studios")

    def post(self, request):
        def write(data):
            studio = editing.studio_create(actor=request.user, **_studio_args(data))
            return reverse("projects:studio_detail", args=[studio.pk])

        return _submit(request, StudioForm(request.POST), write=write, done=_("Studio created."),
                       title=_("New studio"), back_url="projects:studios")


class StudioEditView(RoleRequiredMixin, View):
    allowed_roles = STUDIO_EDIT_ROLES

    def _studio(self, request, studio_id):
        studio = selectors.studio_get(studio_id=studio_id)
        if not services.user_leads_studio(user=request.user, studio=studio):
            raise PermissionDenied
        return studio

    def get(self, request, studio_id: int):
        studio = self._studio(request, studio_id)
        staff = StudioMember.objects.filter(studio=studio, status=StudioMember.Status.ADMITTED).select_related("user")
        initial = {k: getattr(studio, k) for k in ("code", "title", "title_en", "skill_area", "description", "major",
                                                   "is_open")}
        initial.update(leads=[m.user for m in staff if m.role == StudioMember.Role.LEAD],
                       mentors=[m.user for m in staff if m.role == StudioMember.Role.MENTOR])
        return _page(request, form=StudioForm(initial=initial), title=_("Edit studio"), back_url="projects:studios")

    def post(self, request, studio_id: int):
        studio = self._studio(request, studio_id)

        def write(data):
            editing.studio_update(actor=request.user, studio=studio, **_studio_args(data))
            return reverse("projects:studio_detail", args=[studio.pk])

        return _submit(request, StudioForm(request.POST), write=write, done=_("Studio saved."),
                       title=_("Edit studio"), back_url="projects:studios")


def _order_class_args(data: dict) -> dict:
    return {**{k: data[k] for k in ("title", "title_en", "major", "intake_year", "capacity", "criteria",
                                    "description")},
            "course_ids": [c.pk for c in data["courses"]], "mentor_ids": [u.pk for u in data["mentors"]]}


def _enterprises_for(user):
    """Administrators choose the sponsor; an enterprise's staff sponsor with their own."""
    if user.role == Role.SCHOOL_ADMIN:
        return Organization.objects.filter(kind=Organization.Kind.ENTERPRISE).order_by("name")
    return None


class OrderClassCreateView(RoleRequiredMixin, View):
    allowed_roles = ORDER_CLASS_CREATE_ROLES

    def get(self, request):
        return _page(request, form=OrderClassForm(enterprises=_enterprises_for(request.user)),
                     title=_("New order class"), back_url="projects:order_classes")

    def post(self, request):
        def write(data):
            if "enterprise" in data:
                enterprise = data["enterprise"]
            else:
                ids = enterprise_ids_for_user(request.user)
                if not ids:
                    raise ApplicationError(_("Your account is not linked to an enterprise."), code="no_enterprise")
                enterprise = Organization.objects.get(pk=ids[0])
            order_class = cohort_services.order_class_create(actor=request.user, enterprise=enterprise,
                                                             **_order_class_args(data))
            return reverse("projects:order_class_detail", args=[order_class.pk])

        return _submit(request, OrderClassForm(request.POST, enterprises=_enterprises_for(request.user)),
                       write=write, done=_("Order class created."), title=_("New order class"),
                       back_url="projects:order_classes")


class OrderClassEditView(RoleRequiredMixin, View):
    allowed_roles = ORDER_CLASS_CREATE_ROLES

    def _order_class(self, request, order_class_id):
        order_class = cohort_selectors.order_class_get_for_user(user=request.user, order_class_id=order_class_id)
        if not editing.order_class_can_edit(user=request.user, order_class=order_class):
            raise PermissionDenied
        return order_class

    def get(self, request, order_class_id: int):
        oc = self._order_class(request, order_class_id)
        initial = {k: getattr(oc, k) for k in ("title", "title_en", "major", "intake_year", "capacity", "criteria",
                                               "description", "status")}
        initial.update(courses=list(oc.courses.all()), mentors=list(oc.mentors.all()))
        return _page(request, form=OrderClassForm(initial=initial, editing=True), title=_("Edit order class"),
                     back_url="projects:order_classes")

    def post(self, request, order_class_id: int):
        oc = self._order_class(request, order_class_id)

        def write(data):
            editing.order_class_update(actor=request.user, order_class=oc, status=data["status"],
                                       **_order_class_args(data))
            return reverse("projects:order_class_detail", args=[oc.pk])

        return _submit(request, OrderClassForm(request.POST, editing=True), write=write, done=_("Order class saved."),
                       title=_("Edit order class"), back_url="projects:order_classes")
