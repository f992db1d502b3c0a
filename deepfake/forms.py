from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import DetectionJob, DetectorModel


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Image or video"),
                           help_text=_("JPEG, PNG or WebP image, or MP4, WebM or MOV video. Checked by content."))
    detector = forms.ModelChoiceField(queryset=DetectorModel.objects.order_by("-is_active", "name", "-version"),
                                      required=False, label=_("Detector model"),
                                      empty_label=_("Default model"))
    frames = forms.IntegerField(label=_("Frames to sample (videos)"), min_value=1, max_value=256, required=False,
                                initial=settings.DEEPFAKE_FRAMES_PER_VIDEO)
    aggregation = forms.ChoiceField(label=_("Aggregation over frames"), choices=DetectionJob.Aggregation.choices,
                                    initial=settings.DEEPFAKE_AGGREGATION)


class TrainingForm(forms.Form):
    name = forms.SlugField(label=_("Model name"), max_length=60, initial="class-cnn")
    arch = forms.ChoiceField(label=_("Architecture"), choices=DetectorModel.Arch.choices)
    epochs = forms.IntegerField(label=_("Epochs"), min_value=1, max_value=60, initial=6)
    limit_per_source = forms.IntegerField(label=_("Images per source (empty: all)"), min_value=20, required=False,
                                          initial=150)
    cross_source = forms.BooleanField(label=_("Cross-source evaluation (trains once per generator)"), required=False)
