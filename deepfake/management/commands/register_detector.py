"""`manage.py register_detector`: make sure the shipped detector is registered (and the
default when none is). Idempotent; compose's one-shot migrate service runs it on every
deployment, so a real deployment's lab has a model without demo data."""

from django.core.management.base import BaseCommand, CommandError

from deepfake.services.registry import detector_model_register_shipped


class Command(BaseCommand):
    help = "Register the detector shipped in deepfake/weights/ (idempotent)."

    def handle(self, *args, **options):
        model = detector_model_register_shipped()
        if model is None:
            raise CommandError("deepfake/weights/small_cnn_v2.pt is missing from this build.")
        self.stdout.write(f"Detector {model.label} registered{' (default)' if model.is_active else ''}.")
