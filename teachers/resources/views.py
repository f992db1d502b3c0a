"""Shared resources and the case library: search, upload, preview, download, rate."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.errors import ApplicationError
from accounts.permissions import RoleRequiredMixin

from ..curriculum.forms import BootstrapMixin
from ..models import Competency, Course, Major
from ..permissions import RESOURCE_ROLES, RESOURCE_UPLOAD_ROLES
from . import selectors, services
from .models import Resource, ResourceRating


class UploadForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Resource.Kind.choices)
    visibility = forms.ChoiceField(label=gettext_lazy("Visible to"), choices=Resource.Visibility.choices)
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    course = forms.ModelChoiceField(label=gettext_lazy("Course"), required=False,
                                    queryset=Course.objects.order_by("code"))
    major = forms.ModelChoiceField(label=gettext_lazy("Major"), required=False, queryset=Major.objects.all())
    competencies = forms.ModelMultipleChoiceField(label=gettext_lazy("Competencies"), required=False,
                                                  queryset=Competency.objects.select_related("major"))
    file = forms.FileField(label=gettext_lazy("File"),
                           help_text=gettext_lazy("PDF, PPTX, DOCX, XLSX, images, MP4/WebM, CSV/JSON or ZIP; "
                                                  "checked by content. Videos up to 200 MB, others 50 MB."))


class ResourceListView(RoleRequiredMixin, View):
    allowed_roles = RESOURCE_ROLES
    template_name = "teachers/resources/list.html"

    def get(self, request):
        g = request.GET
        qs = selectors.resources_for_user(user=request.user, q=g.get("q", ""), kind=g.get("kind", ""),
                                          course_id=g.get("course"), major_id=g.get("major"),
                                          competency_id=g.get("competency"), order=g.get("order", "new"))
        page = selectors.CappedPaginator(qs, 24).get_page(g.get("page"))
        return render(request, self.template_name, {
            "page_obj": page, "resources": page.object_list, "kinds": Resource.Kind.choices, "q": g.get("q", ""),
            "kind": g.get("kind", ""), "order": g.get("order", "new"), "majors": Major.objects.all(),
            "major": g.get("major", ""), "can_upload": request.user.role in RESOURCE_UPLOAD_ROLES,
            "querystring": "&".join(f"{k}={v}" for k, v in g.items() if k != "page"),
        })


class ResourceUploadView(RoleRequiredMixin, View):
    allowed_roles = RESOURCE_UPLOAD_ROLES
    template_name = "teachers/resources/upload.html"

    def get(self, request):
        return render(request, self.template_name, {"form": UploadForm()})

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                resource = services.resource_upload(
                    actor=request.user, upload=data["file"], title=data["title"], kind=data["kind"],
                    visibility=data["visibility"], description=data["description"], course=data["course"],
                    major=data["major"], competencies=list(data["competencies"]))
            except ApplicationError as exc:
                form.add_error("file" if exc.code in ("mismatch", "too_large", "format_for_kind", "bad_zip",
                                                      "nul_bytes", "unknown_format", "empty", "bad_json") else None,
                               exc.message)
                status = exc.status_code
            else:
                if resource.status == Resource.Status.PENDING:
                    messages.success(request, _("Resource uploaded. It waits for a school administrator's review "
                                                "before others see it."))
                else:
                    messages.success(request, _("Resource shared."))
                return redirect("teachers:resource_detail", resource_id=resource.pk)
        return render(request, self.template_name, {"form": form}, status=status)


class ResourceDetailView(RoleRequiredMixin, View):
    allowed_roles = RESOURCE_ROLES
    template_name = "teachers/resources/detail.html"

    def get(self, request, resource_id: int):
        resource = selectors.resource_get_for_user(user=request.user, resource_id=resource_id)
        mine = ResourceRating.objects.filter(resource=resource, user=request.user).first()
        return render(request, self.template_name, {
            "resource": resource, "competencies": resource.competencies.all(), "my_rating": mine,
            "can_delete": resource.uploaded_by_id == request.user.pk or request.user.role == "school_admin",
            "published": resource.status == Resource.Status.PUBLISHED,
            "actions": selectors.resource_actions(user=request.user, resource=resource),
        })


class ResourceFileView(RoleRequiredMixin, View):
    """The file (download: counted) or its preview image, for those who may see the resource."""

    allowed_roles = RESOURCE_ROLES
    what = "download"

    def get(self, request, resource_id: int):
        resource = selectors.resource_get_for_user(user=request.user, resource_id=resource_id)
        if self.what == "preview":
            if not resource.preview:
                raise Http404
            return FileResponse(resource.preview.open("rb"), content_type="image/jpeg")
        services.resource_download_count(resource=resource)
        response = FileResponse(resource.file.open("rb"), as_attachment=True, filename=resource.original_name,
                                content_type=resource.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ResourceActionView(RoleRequiredMixin, View):
    allowed_roles = RESOURCE_ROLES
    action = ""

    def post(self, request, resource_id: int):
        resource = selectors.resource_get_for_user(user=request.user, resource_id=resource_id)
        try:
            if self.action == "rate":
                services.resource_rate(actor=request.user, resource=resource, stars=request.POST.get("stars"))
                messages.success(request, _("Thank you for rating."))
            elif self.action == "delete":
                services.resource_delete(actor=request.user, resource=resource)
                messages.success(request, _("Resource removed."))
                return redirect("teachers:resource_list")
            else:
                raise Http404
        except ApplicationError as exc:
            messages.error(request, exc.message)
            view = ResourceDetailView()
            response = view.get(request, resource_id)
            response.status_code = exc.status_code
            return response
        return redirect("teachers:resource_detail", resource_id=resource.pk)
