"""Model-weights submissions: the safe loader and scoring on the hidden test set.

torch is imported inside the functions (never when a URL module is imported).
``torch.load(..., weights_only=True)`` refuses any pickle that is not plain tensors and
containers, so a malicious pickle cannot run code; the checkpoint must then be one of
the lab's architectures with tensors of exactly the right shapes."""

from __future__ import annotations

import io
import zipfile

from accounts.errors import ApplicationError

MAX_WEIGHTS_BYTES = 8 * 1024 * 1024
ALLOWED_CONFIG = {"input_size": (32, 128), "width": (4, 64)}


def _error(message: str) -> ApplicationError:
    return ApplicationError(message, code="invalid_weights")


def load_checkpoint(data: bytes):
    """(model, threshold) from a checkpoint's bytes; ApplicationError on anything else."""
    import torch

    from deepfake.ml import architectures

    if len(data) > MAX_WEIGHTS_BYTES:
        raise _error(f"The weights file is larger than {MAX_WEIGHTS_BYTES // (1024 * 1024)} MB.")
    if not data.startswith(b"PK"):
        raise _error("Not a PyTorch weights file (torch.save format).")
    try:
        checkpoint = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except (zipfile.BadZipFile, RuntimeError, ValueError, EOFError, OSError, AttributeError, TypeError,
            KeyError, ImportError) as exc:
        # weights_only refuses arbitrary objects with an UnpicklingError (a RuntimeError subclass in
        # some versions); the reason is kept short.
        raise _error(f"Not a plain weights file: {str(exc).splitlines()[0][:200]}") from None
    except Exception as exc:  # noqa: BLE001 - pickle.UnpicklingError and friends
        raise _error(f"Not a plain weights file: {str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}") from None
    if not isinstance(checkpoint, dict) or not isinstance(checkpoint.get("state_dict"), dict):
        raise _error("The file must hold the lab's checkpoint: a dict with arch, config and state_dict.")
    arch = checkpoint.get("arch")
    if arch not in architectures.ARCHITECTURES:
        raise _error(f"Unknown architecture {str(arch)[:40]!r}; choose from {sorted(architectures.ARCHITECTURES)}.")
    config = checkpoint.get("config") or {}
    if not isinstance(config, dict) or set(config) - set(ALLOWED_CONFIG):
        raise _error("The checkpoint's config may only hold input_size and width.")
    for key, value in config.items():
        low, high = ALLOWED_CONFIG[key]
        if not isinstance(value, int) or not low <= value <= high:
            raise _error(f"config.{key} must be an integer in {low}..{high}.")
    model = architectures.build(arch, **config)
    try:
        model.load_state_dict(checkpoint["state_dict"], strict=True)
    except (RuntimeError, TypeError, KeyError) as exc:
        raise _error(f"The weights do not fit the {arch} architecture: {str(exc).splitlines()[0][:200]}") from None
    threshold = checkpoint.get("threshold", 0.5)
    if not isinstance(threshold, float | int) or not 0 <= threshold <= 1:
        threshold = 0.5
    return model.eval(), float(threshold), config.get("input_size", 64), arch


def predict_archive(data: bytes, archive_path: str, *, batch_size: int = 64) -> dict[str, float]:
    """Probability of fake for every image of the (already checked) test archive, keyed by id.

    Each image goes through the lab's inference path: the largest face's crop, or the
    whole image when no face is found."""
    import numpy as np

    from deepfake.ml.faces import load_image_bytes_rgb
    from deepfake.ml.inference import Detector, image_inputs

    model, threshold, input_size, arch = load_checkpoint(data)
    detector = Detector(model, name="submission", arch=arch, input_size=input_size, threshold=threshold,
                        batch_size=batch_size)
    ids, inputs = [], []
    with zipfile.ZipFile(archive_path) as zf:
        for info in zf.infolist():
            rgb = load_image_bytes_rgb(zf.read(info))
            ids.append(info.filename.rsplit(".", 1)[0])
            inputs.append(image_inputs(rgb, detector))
    probs = detector.predict(np.stack(inputs)) if inputs else np.zeros(0)
    return {i: float(p) for i, p in zip(ids, probs, strict=True)}
