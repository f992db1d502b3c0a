"""The detector model registry: register trained weights (with metrics, card and
figures) into media storage and choose the default model."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError, NotPermitted
from accounts.services import audit_log_record

from .. import permissions
from ..models import DetectorModel
from .storage import save_over


@transaction.atomic
def detector_model_register(*, actor, name: str, weights_path: str | Path, metrics: dict | None = None,
                            roc_path: str | Path | None = None, cross_source_path: str | Path | None = None,
                            model_card: str = "", activate: bool = False, version: int | None = None) -> DetectorModel:
    """Copy a trained model's files into media storage and add it to the registry. ``metrics["companions"]``
    (media kind -> weights file beside ``weights_path``) registers a pair: the companions are copied too
    and described in ``metrics["companion_models"]``, which ``detectors.detector_load`` reads."""
    weights_path = Path(weights_path)
    checkpoint = _checkpoint(weights_path)
    metrics = dict(metrics or {})
    # Companion models (media kind -> weights file beside the main one, e.g. a photo model for still
    # images; docs/deepfake.md, "Per-kind models"), checked before anything is stored.
    named = metrics.get("companions") or {}
    if not isinstance(named, dict) or any(not isinstance(f, str) or Path(f).name != f for f in named.values()):
        raise ApplicationError(_("A companion model must be a weights file beside the main one."),
                               code="invalid_weights")
    companions = {kind: (weights_path.parent / file_name, _checkpoint(weights_path.parent / file_name))
                  for kind, file_name in named.items()}
    if version is None:
        version = (DetectorModel.objects.filter(name=name).aggregate(v=Max("version"))["v"] or 0) + 1
    elif DetectorModel.objects.filter(name=name, version=version).exists():
        raise ApplicationError(_("This model version is already registered."), code="duplicate_model")
    stem = f"deepfake/models/{name}-v{version}"
    image_checkpoint = companions["image"][1] if "image" in companions else checkpoint
    model = DetectorModel(
        # The registry's threshold is the image threshold of the model that judges still images.
        name=name, version=version, arch=checkpoint["arch"], threshold=float(image_checkpoint["threshold"]),
        metrics=metrics, model_card=model_card, trained_by=actor if actor is not None and actor.is_authenticated else None,
        training_summary={"data_dir": metrics.get("data_dir", ""), "data_summary": metrics.get("data_summary", {}),
                          "splits": metrics.get("splits", {}), "command": metrics.get("command", "")},
    )
    model.weights_file = save_over(f"{stem}.pt", weights_path.read_bytes())
    if companions:
        model.metrics = metrics | {"companion_models": {
            kind: {"name": ckpt.get("name", path.stem), "arch": ckpt["arch"], "threshold": float(ckpt["threshold"]),
                   "weights_file": save_over(f"{stem}_{kind}.pt", path.read_bytes()),
                   "test": _metrics_beside(path).get("test", {})}
            for kind, (path, ckpt) in companions.items()}}
    if roc_path and Path(roc_path).exists():
        model.roc_curve = save_over(f"{stem}_roc.png", Path(roc_path).read_bytes())
    if cross_source_path and Path(cross_source_path).exists():
        model.cross_source_figure = save_over(f"{stem}_cross_source.png", Path(cross_source_path).read_bytes())
    model.save()
    audit_log_record(actor=actor, action="deepfake.model.register", target=model, data={"arch": model.arch})
    if activate or not DetectorModel.objects.filter(is_active=True).exists():
        detector_model_activate(actor=actor, model=model, _check=False)
    return model


def _checkpoint(path: Path) -> dict:
    import torch

    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise ApplicationError(_("The weights file %(name)s is missing.") % {"name": path.name},
                               code="invalid_weights") from None
    except Exception:  # noqa: BLE001 - pickle, zip and format errors all mean "not our weights"
        checkpoint = None
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != "chanjiao-deepfake-detector/1":
        raise ApplicationError(_("Not a Chanjiao detector weights file."), code="invalid_weights")
    return checkpoint


def _metrics_beside(weights_path: Path) -> dict:
    try:
        return json.loads(weights_path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def detector_model_register_from_prefix(*, actor, prefix: str | Path, name: str, activate: bool = False,
                                        version: int | None = None) -> DetectorModel:
    """Register ``<prefix>.pt`` with its ``.json`` metrics, ``.md`` card and figures (train_detector's output)."""
    prefix = Path(prefix)
    metrics_path = prefix.with_suffix(".json")
    card_path = prefix.with_suffix(".md")
    metrics = json.loads(metrics_path.read_text()) if metrics_path.exists() else {}
    cards = [card_path.read_text()] if card_path.exists() else []
    for file_name in (metrics.get("companions") or {}).values():  # a pair's card holds both models' cards
        companion_card = (prefix.parent / file_name).with_suffix(".md")
        if companion_card.exists():
            cards.append(companion_card.read_text())
    return detector_model_register(
        actor=actor, name=name, weights_path=prefix.with_suffix(".pt"), metrics=metrics,
        roc_path=prefix.parent / f"{prefix.name}_roc.png", cross_source_path=prefix.parent / f"{prefix.name}_cross_source.png",
        model_card="\n\n".join(cards), activate=activate, version=version,
    )


@transaction.atomic
def detector_model_activate(*, actor, model: DetectorModel, _check: bool = True) -> DetectorModel:
    if _check and not permissions.can_train(actor):
        raise NotPermitted(_("Only teachers choose the default model."))
    DetectorModel.objects.filter(is_active=True).exclude(pk=model.pk).update(is_active=False)
    if not model.is_active:
        model.is_active = True
        model.save(update_fields=["is_active"])
    audit_log_record(actor=actor, action="deepfake.model.activate", target=model)
    return model


SHIPPED_NAME = "small-cnn"
# v3 is the pair shipped for issue 16: small_cnn_v2 for video frames, small_cnn_photo_v1 for still
# images (named in small_cnn_v2.json's "companions"). v2 was small_cnn_v2 alone.
SHIPPED_VERSION = 3


def detector_model_register_shipped() -> DetectorModel | None:
    """Idempotent: registers the detector shipped in deepfake/weights/ (small_cnn_v2: YuNet-aligned
    faces, video-calibrated, for video frames; with its photo model small_cnn_photo_v1 for still
    images) as small-cnn v3 once, and makes it the default if no model is active or the active one
    is an older shipped version (v1 was trained on Haar crops, which the pipeline no longer makes;
    v2 judged images with the video model). Run by `manage.py register_detector` at every
    deployment (compose's migrate step) and by seed_demo, so a fresh deployment's lab
    detects out of the box."""
    from ..ml.paths import DEFAULT_WEIGHTS

    existing = DetectorModel.objects.filter(name=SHIPPED_NAME, version=SHIPPED_VERSION).first()
    if existing is None:
        if not DEFAULT_WEIGHTS.exists():
            return None
        existing = detector_model_register_from_prefix(actor=None, prefix=DEFAULT_WEIGHTS.with_suffix(""),
                                                       name=SHIPPED_NAME, version=SHIPPED_VERSION)
    if not DetectorModel.objects.filter(is_active=True).exclude(name=SHIPPED_NAME,
                                                                version__lt=SHIPPED_VERSION).exists():
        detector_model_activate(actor=None, model=existing, _check=False)
    return existing
