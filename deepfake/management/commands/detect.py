"""`manage.py detect PATH [PATH ...] [--model NAME] --json`: the detection pipeline without the web.

A directory means every image and video in it. With --json, one JSON object per file:
{"path", "kind", "faces", "score" (probability of fake, or null with a "reason"), "verdict"}."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from deepfake.ml.detect import DEFAULT_WEIGHTS, run
from deepfake.ml.inference import AGGREGATIONS, Detector


class Command(BaseCommand):
    help = "Detect GAN-synthesised faces in images and videos; prints one result per file."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--model", help="registry name (name or name:version) or a .pt weights file; "
                                            "default: the active registered model, else the shipped one")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")
        parser.add_argument("--frames", type=int, default=settings.DEEPFAKE_FRAMES_PER_VIDEO)
        parser.add_argument("--aggregation", choices=AGGREGATIONS, default=settings.DEEPFAKE_AGGREGATION)
        parser.add_argument("--device", help="cpu or cuda (default: cuda when available)")

    def _detector(self, name: str | None, device: str | None) -> Detector:
        from deepfake.selectors import detector_model_active, detector_model_by_name

        if name and (name.endswith(".pt") or Path(name).is_file()):
            return Detector.from_file(name, device=device, batch_size=settings.DEEPFAKE_BATCH_SIZE)
        try:
            model = detector_model_by_name(name=name) if name else detector_model_active()
        except Exception:  # noqa: BLE001 - no database yet (fresh checkout): fall back to the shipped weights
            model = None
            if name:
                raise
        if name and model is None:
            raise CommandError(f"No registered model called {name!r}.")
        if model is None:
            detector = Detector.from_file(DEFAULT_WEIGHTS, device=device, batch_size=settings.DEEPFAKE_BATCH_SIZE)
            return detector
        detector = Detector.from_file(model.weights_file.path, device=device, batch_size=settings.DEEPFAKE_BATCH_SIZE)
        detector.name, detector.threshold = model.label, model.threshold
        return detector

    def handle(self, *args, paths, model, json: bool, frames, aggregation, device, **options):
        for p in paths:
            if not Path(p).exists():
                raise CommandError(f"{p}: no such file or directory")
        detector = self._detector(model, device)
        buffer = io.StringIO() if not json else self.stdout
        failures = run(paths, detector, frames=frames, aggregation=aggregation, out=buffer)
        if not json:
            for line in buffer.getvalue().splitlines():
                r = _loads(line)
                score = "—" if r["score"] is None else f"{r['score']:.3f}"
                reason = f" ({r['reason']})" if r.get("reason") else ""
                self.stdout.write(f"{r['path']}: {r['verdict']} p(fake)={score} faces={r['faces']}{reason}")
        if failures:
            self.stderr.write(f"{failures} file(s) could not be analysed")


def _loads(line: str) -> dict:
    return json.loads(line)
