"""Framework-free core of the deepfake teaching project.

Nothing in this package imports Django: the same code runs in the Celery
worker, in ``manage.py train_detector`` / ``manage.py detect``, in the
benchmarks and in a plain ``python -m deepfake.ml.train``.
"""
