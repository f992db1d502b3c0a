"""Writes for the deepfake app, one module per concern:

- ``uploads``  media upload (validated by content) and upload-and-detect
- ``jobs``     detection jobs: create, run (called by the task with an id), fail
- ``registry`` the detector model registry: register, activate
- ``training`` training runs: start, execute (called by the task with an id)

Job and training-run states change only in these modules. The names below are the
app's public service API."""

from .jobs import detection_job_create, detection_job_fail, detection_job_run
from .registry import detector_model_activate, detector_model_register, detector_model_register_from_prefix
from .training import training_run_execute, training_run_start
from .uploads import media_delete_files, media_upload, media_upload_and_detect

__all__ = [
    "detection_job_create", "detection_job_fail", "detection_job_run",
    "detector_model_activate", "detector_model_register", "detector_model_register_from_prefix",
    "media_delete_files", "media_upload", "media_upload_and_detect",
    "training_run_execute", "training_run_start",
]
