"""Loaded detectors, cached per worker process (loading weights per job would
dominate the time of small jobs)."""

from __future__ import annotations

import contextlib
import threading

from django.conf import settings
from django.db.models.fields.files import FieldFile

from .ml.inference import Detector
from .models import DetectorModel

_cache: dict[tuple[int, str], Detector] = {}
_lock = threading.Lock()


def companion_files(model: DetectorModel) -> dict[str, FieldFile]:
    """The stored weights of a registered model's companions (media kind -> file), from
    ``metrics["companion_models"]`` as ``detector_model_register`` wrote it; ``{}`` for a single model."""
    field = DetectorModel._meta.get_field("weights_file")
    out = {}
    for kind, info in ((model.metrics or {}).get("companion_models") or {}).items():
        name = info.get("weights_file") if isinstance(info, dict) else None
        if not name:
            raise ValueError(f"{model.label}: the {kind} model has no stored weights file")
        out[kind] = FieldFile(model, field, name)
    return out


def detector_load(model: DetectorModel, *, device=None, batch_size: int | None = None) -> Detector:
    """A registered model loaded with its companions, named after the registry: a single model is
    called by its label ("small-cnn v2"); the models of a pair by the label and their own name
    ("small-cnn v3: small_cnn_photo_v1"), so a result says which one judged it. The registry's
    threshold is the image threshold of the model that judges images. ValueError when a file
    cannot be loaded."""
    from .services.storage import local_path

    with contextlib.ExitStack() as stack:  # local copies when media is on S3
        weights = stack.enter_context(local_path(model.weights_file))
        companions = {kind: stack.enter_context(local_path(f)) for kind, f in companion_files(model).items()}
        detector = Detector.from_file(weights, device=device, companions=companions,
                                      batch_size=batch_size or settings.DEEPFAKE_BATCH_SIZE)
    if detector.companions:
        for member in (detector, *detector.companions.values()):
            member.name = f"{model.label}: {member.weights_name}"
    else:
        detector.name = model.label
    detector.for_kind("image").threshold = model.threshold
    return detector


def detector_for(model: DetectorModel) -> Detector:
    key = (model.pk, model.weights_file.name)
    with _lock:
        if key not in _cache:
            _cache[key] = detector_load(model)
        return _cache[key]
