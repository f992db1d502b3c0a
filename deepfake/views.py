"""Pages of the deepfake lab. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.permissions import RoleRequiredMixin

from . import selectors, services
from .forms import TrainingForm, UploadForm
from .models import DetectionJob
from .permissions import DETECT_ROLES, HOME_ROLES, SUPERVISE_ROLES, TRAIN_ROLES, can_detect, can_train


def _lab_context(request, form: UploadForm | None = None) -> dict:
    return {
        "form": form or UploadForm(),
        "can_detect": can_detect(request.user),
        "can_train": can_train(request.user),
        "jobs": selectors.job_list_for_user(user=request.user).filter(requested_by=request.user)[:10],
        "active_model": selectors.detector_model_active(),
    }


class HomeView(RoleRequiredMixin, TemplateView):
    """The lab page: a walk through one detection (upload → job → report) and one training run."""

    allowed_roles = HOME_ROLES
    template_name = "deepfake/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | _lab_context(self.request)


class UploadView(RoleRequiredMixin, View):
    allowed_roles = DETECT_ROLES
    http_method_names = ["get", "post"]

    def get(self, request):
        # The form lives on the lab's home page; a bookmarked or typed upload URL lands there.
        return redirect(reverse("deepfake:home") + "#upload-form")

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.media_upload_and_detect(
                    actor=request.user, uploaded_file=form.cleaned_data["file"],
                    detector_id=form.cleaned_data["detector"].pk if form.cleaned_data["detector"] else None,
                    frame_count=form.cleaned_data["frames"], aggregation=form.cleaned_data["aggregation"],
                )
            except ApplicationError as exc:
                form.add_error("file", str(exc.message))
            else:
                messages.success(request, _("Uploaded. The job is queued."))
                return redirect("deepfake:job_detail", job_id=job.pk)
        return render(request, "deepfake/home.html", _lab_context(request, form), status=400)


def _job_context(job: DetectionJob) -> dict:
    return {"job": job, "queue_position": selectors.job_queue_position(job=job)}


class JobDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = DETECT_ROLES
    template_name = "deepfake/job_detail.html"

    def get_context_data(self, job_id: int, **kwargs):
        job = selectors.job_get_for_user(user=self.request.user, job_id=job_id)
        frames = list(selectors.job_frames(job=job)) if job.status == DetectionJob.Status.DONE else []
        return super().get_context_data(**kwargs) | _job_context(job) | {
            "frames": frames, "key_frames": [f for f in frames if f.annotated_image],
        }


class JobStatusView(RoleRequiredMixin, TemplateView):
    """The progress fragment the job page polls (htmx) until the job is finished."""

    allowed_roles = DETECT_ROLES
    template_name = "deepfake/_job_status.html"

    def get_context_data(self, job_id: int, **kwargs):
        job = selectors.job_get_for_user(user=self.request.user, job_id=job_id)
        return super().get_context_data(**kwargs) | _job_context(job)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["job"].is_finished:
            response["HX-Refresh"] = "true"  # reload once to show the report
        return response


class JobImageView(RoleRequiredMixin, View):
    """Report pictures, drawn by the worker; only to who may see the job."""

    allowed_roles = DETECT_ROLES

    def get(self, request, job_id: int, name: str):
        job = selectors.job_get_for_user(user=request.user, job_id=job_id)
        if name == "timeline":
            field = job.timeline_image
        elif name == "spectrum":
            field = job.spectrum_image
        elif name.startswith("frame-") and name[6:].isdigit():
            frame = selectors.job_frames(job=job).filter(frame_index=int(name[6:])).first()
            field = frame.annotated_image if frame else None
        else:
            field = None
        if not field:
            raise Http404
        return FileResponse(field.open("rb"), content_type="image/png" if field.name.endswith(".png") else "image/jpeg")


class MediaDownloadView(RoleRequiredMixin, View):
    """The original upload, as an attachment, to its owner and the teachers of the owner's class."""

    allowed_roles = DETECT_ROLES

    def get(self, request, media_id: int):
        media = selectors.media_get_for_user(user=request.user, media_id=media_id)
        extension = media.file.name.rsplit(".", 1)[-1]
        response = FileResponse(media.file.open("rb"), as_attachment=True, filename=f"upload-{media.pk}.{extension}",
                                content_type=media.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ClassJobsView(RoleRequiredMixin, TemplateView):
    """Teacher view: every job of the students of their classes."""

    allowed_roles = SUPERVISE_ROLES
    template_name = "deepfake/class_jobs.html"

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        page = Paginator(selectors.class_job_list_for_teacher(user=self.request.user), 50).get_page(
            self.request.GET.get("page"))
        return super().get_context_data(**kwargs) | {"page": page, "page_obj": page}


class ModelListView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "deepfake/model_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"models": selectors.detector_model_list(),
                                                     "can_train": can_train(self.request.user)}


class ModelDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "deepfake/model_detail.html"

    def get_context_data(self, model_id: int, **kwargs):
        model = selectors.detector_model_get(model_id=model_id)
        test = {k: v for k, v in model.metrics.get("test", {}).items()}
        return super().get_context_data(**kwargs) | {"model": model, "test_metrics": test,
                                                     "cross": model.metrics.get("cross_source_auc", {}),
                                                     "can_train": can_train(self.request.user)}


class ModelImageView(RoleRequiredMixin, View):
    allowed_roles = HOME_ROLES

    def get(self, request, model_id: int, name: str):
        model = selectors.detector_model_get(model_id=model_id)
        field = {"roc": model.roc_curve, "cross_source": model.cross_source_figure}.get(name)
        if not field:
            raise Http404
        return FileResponse(field.open("rb"), content_type="image/png")


class ModelActivateView(RoleRequiredMixin, View):
    allowed_roles = TRAIN_ROLES
    http_method_names = ["post"]

    def post(self, request, model_id: int):
        model = selectors.detector_model_get(model_id=model_id)
        services.detector_model_activate(actor=request.user, model=model)
        messages.success(request, _("%(model)s is now the default model.") % {"model": model.label})
        return redirect("deepfake:model_detail", model_id=model.pk)


class TrainingListView(RoleRequiredMixin, TemplateView):
    allowed_roles = TRAIN_ROLES
    template_name = "deepfake/training.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "form": kwargs.get("form") or TrainingForm(),
            "runs": selectors.training_run_list_for_user(user=self.request.user)[:20],
        }


class TrainingStartView(RoleRequiredMixin, View):
    allowed_roles = TRAIN_ROLES
    http_method_names = ["post"]

    def post(self, request):
        form = TrainingForm(request.POST)
        if form.is_valid():
            try:
                run = services.training_run_start(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Training run queued."))
                return redirect("deepfake:training_detail", run_id=run.pk)
        context = {"form": form, "runs": selectors.training_run_list_for_user(user=request.user)[:20]}
        return render(request, "deepfake/training.html", context, status=400)


class TrainingDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = TRAIN_ROLES
    template_name = "deepfake/training_detail.html"

    def get_context_data(self, run_id: int, **kwargs):
        run = selectors.training_run_get_for_user(user=self.request.user, run_id=run_id)
        return super().get_context_data(**kwargs) | {"run": run}

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["deepfake/_training_status.html"]
        return [self.template_name]
