"""Demo data for the deepfake lab: register the shipped detector so `make run` detects out of the box."""

from __future__ import annotations

from .ml.detect import DEFAULT_WEIGHTS
from .models import DetectorModel

SHIPPED_NAME = "small-cnn"
SHIPPED_VERSION = 2


def register_shipped_model() -> DetectorModel | None:
    """Idempotent: registers deepfake/weights/small_cnn_v2 (YuNet-aligned faces, video-calibrated)
    as small-cnn v2 once, and makes it the default if no model is active or the active one is
    the retired v1 (trained on Haar crops, which the pipeline no longer makes)."""
    from .services import detector_model_activate, detector_model_register_from_prefix

    existing = DetectorModel.objects.filter(name=SHIPPED_NAME, version=SHIPPED_VERSION).first()
    if existing is None:
        if not DEFAULT_WEIGHTS.exists():
            return None
        existing = detector_model_register_from_prefix(actor=None, prefix=DEFAULT_WEIGHTS.with_suffix(""),
                                                       name=SHIPPED_NAME, version=SHIPPED_VERSION)
    if not DetectorModel.objects.filter(is_active=True).exclude(name=SHIPPED_NAME, version__lt=SHIPPED_VERSION).exists():
        detector_model_activate(actor=None, model=existing, _check=False)
    return existing


def seed(ctx) -> None:
    model = register_shipped_model()
    ctx.log(f"deepfake: detector {model.label if model else 'missing (deepfake/weights/small_cnn_v2.pt)'}")
    from .challenges.demo import seed as seed_challenges

    seed_challenges(ctx)
