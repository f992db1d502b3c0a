"""Demo data for the deepfake lab: register the shipped detector so `make run` detects out of the box."""

from __future__ import annotations

from .services.registry import SHIPPED_NAME, detector_model_register_shipped

register_shipped_model = detector_model_register_shipped  # the name tests and benchmarks use

__all__ = ["SHIPPED_NAME", "register_shipped_model", "seed"]


def seed(ctx) -> None:
    model = register_shipped_model()
    ctx.log(f"deepfake: detector {model.label if model else 'missing (deepfake/weights/small_cnn_v2.pt)'}")
    from .challenges.demo import seed as seed_challenges

    seed_challenges(ctx)
    from .teaching.demo import seed as seed_lab_work

    seed_lab_work(ctx)
