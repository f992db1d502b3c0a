"""Demo alumni and the outlook models trained on them."""

from __future__ import annotations

ALUMNI_PER_MAJOR = 1500


def seed_alumni(ctx) -> None:
    from teachers.models import Major

    from .alumni import alumni_generate
    from .models import Alumnus, OutlookModel
    from .services import outlook_train

    models = []
    for n, major in enumerate(Major.objects.order_by("code")):
        have = Alumnus.objects.filter(major=major, is_demo=True).count()
        if have < ALUMNI_PER_MAJOR:
            Alumnus.objects.bulk_create(alumni_generate(
                major=major, count=ALUMNI_PER_MAJOR - have, seed=ctx.seed + n, start_index=have), batch_size=2000)
        # Train when alumni were added or no model serves the major yet; a re-run keeps the model.
        if have < ALUMNI_PER_MAJOR or not OutlookModel.objects.filter(major=major, is_active=True).exists():
            models.append(outlook_train(major=major))
    if models:
        ctx.log("growth: outlook " + ", ".join(f"{m.major.code} AUC {m.metrics['auc_employed']}" for m in models))
