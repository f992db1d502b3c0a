"""Loaded detectors, cached per worker process (loading weights per job would
dominate the time of small jobs)."""

from __future__ import annotations

import threading

from django.conf import settings

from .ml.inference import Detector
from .models import DetectorModel

_cache: dict[tuple[int, str], Detector] = {}
_lock = threading.Lock()


def detector_for(model: DetectorModel) -> Detector:
    key = (model.pk, model.weights_file.name)
    with _lock:
        if key not in _cache:
            from .services.storage import local_path

            with local_path(model.weights_file) as weights:  # a local copy when media is on S3
                detector = Detector.from_file(weights, batch_size=settings.DEEPFAKE_BATCH_SIZE)
            detector.name = model.label
            detector.threshold = model.threshold
            _cache[key] = detector
        return _cache[key]
