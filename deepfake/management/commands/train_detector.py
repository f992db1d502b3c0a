"""`manage.py train_detector --data DIR`: train a detector on an ImageFolder directory
(real/, fake*/) and, unless --out is given, register it in the model registry."""

from __future__ import annotations

import json
import shlex
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deepfake.ml.train import DEFAULT_EPOCHS, FITTERS, train_detector


class Command(BaseCommand):
    help = "Train a GAN-face detector (small CNN or spectrum baseline) on an ImageFolder directory."

    def add_arguments(self, parser):
        parser.add_argument("--data", required=True, help="directory with real/ and fake*/ folders")
        parser.add_argument("--arch", default="small_cnn", choices=sorted(FITTERS))
        parser.add_argument("--epochs", type=int, help=f"default {DEFAULT_EPOCHS}")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--limit-per-source", type=int, help="use at most N images of each source (quick runs)")
        parser.add_argument("--no-cross-source", action="store_true", help="skip the train-on-one-generator runs")
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--out", help="write <out>.pt/.json/.md and figures here instead of registering")
        parser.add_argument("--name", default="small-cnn", help="registry name (when registering)")
        parser.add_argument("--register", action="store_true", help="register even when --out is given")
        parser.add_argument("--activate", action="store_true", help="make the registered model the default")

    def handle(self, *args, **o):
        data = Path(o["data"])
        if not (data / "real").is_dir():
            raise CommandError(f"{data}: expected real/ and fake*/ folders")
        command = "python manage.py train_detector " + " ".join(shlex.quote(a) for a in sys.argv[2:])
        with tempfile.TemporaryDirectory(prefix="chanjiao-train-") as tmp:
            prefix = Path(o["out"]) if o["out"] else Path(tmp) / o["name"]
            result = train_detector(
                data, prefix, arch=o["arch"], epochs=o["epochs"], seed=o["seed"], limit_per_source=o["limit_per_source"],
                cross_source=not o["no_cross_source"], threads=o["threads"], command=command,
                progress=lambda f, m: self.stderr.write(f"[{f:5.1%}] {m}"),
            )
            if o["register"] or not o["out"]:
                from deepfake.services import detector_model_register_from_prefix

                model = detector_model_register_from_prefix(actor=None, prefix=prefix, name=o["name"], activate=o["activate"])
                self.stderr.write(f"registered {model.label} (active: {model.is_active})")
        self.stdout.write(json.dumps({k: result[k] for k in ("name", "arch", "threshold", "test", "cross_source_auc",
                                                               "train_seconds")}, indent=1))
