"""`manage.py detect PATH [PATH ...] [--model NAME] [--json]`: the detection pipeline without the web.

A directory means every image and video in it. Every file gets a row, errors included, and
the run goes on. Exit status: 0 all analysed, 1 some file failed, 2 bad usage (unknown
model, unusable weights, CUDA missing, bad option values) with a one-line message.
With --json, one JSON object per file (fields in ``deepfake.ml.detect``)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from deepfake.ml.detect import AGGREGATIONS, DEFAULT_WEIGHTS, EXIT_FAILED, EXIT_USAGE, device_name, positive_int, run


class Command(BaseCommand):
    help = "Detect GAN-synthesised faces in images and videos; prints one result per file."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--model", help="registry name (name or name:version) or a .pt weights file; "
                                            "default: the active registered model, else the shipped one")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")
        parser.add_argument("--frames", type=positive_int, default=settings.DEEPFAKE_FRAMES_PER_VIDEO,
                            help="frames sampled per video (1..1024)")
        parser.add_argument("--aggregation", choices=AGGREGATIONS, default=settings.DEEPFAKE_AGGREGATION)
        parser.add_argument("--device", type=device_name, help="cpu or cuda (default: cuda when available)")

    def _weights(self, name: str | None) -> tuple[str, object | None]:
        from deepfake.selectors import detector_model_active, detector_model_by_name

        if name and (name.endswith(".pt") or Path(name).exists()):
            return name, None
        try:
            model = detector_model_by_name(name=name) if name else detector_model_active()
        except ValueError:
            raise CommandError(f"{name!r} is not a model name (name or name:version).", returncode=EXIT_USAGE) from None
        except Exception:  # noqa: BLE001 - no database yet (fresh checkout): fall back to the shipped weights
            if name:
                raise CommandError(f"No registered model called {name!r} (the database is not available).",
                                   returncode=EXIT_USAGE) from None
            model = None
        if name and model is None:
            raise CommandError(f"No registered model called {name!r}.", returncode=EXIT_USAGE)
        if model is None:
            return str(DEFAULT_WEIGHTS), None
        return model.weights_file.name, model

    def handle(self, *args, paths, model, json: bool, frames, aggregation, device, **options):
        from deepfake.ml.inference import Detector

        weights, registered = self._weights(model)
        try:
            if registered is not None:  # with its companion models (a photo model for still images)
                from deepfake.detectors import detector_load

                detector = detector_load(registered, device=device)
            else:
                detector = Detector.from_file(weights, device=device, batch_size=settings.DEEPFAKE_BATCH_SIZE)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=EXIT_USAGE) from None
        failures = run(paths, detector, frames=frames, aggregation=aggregation, out=self.stdout, as_json=json)
        if failures:
            raise CommandError(f"{failures} file(s) could not be analysed", returncode=EXIT_FAILED)
