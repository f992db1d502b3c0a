"""Class challenges of the deepfake lab: a teacher's labelled hidden test set, phases,
submissions (prediction CSVs or model weights), public and private leaderboards, and
CHALLENGE_RANK points for the final ranks.

Models live in ``models.py`` and are imported into ``deepfake/models.py``."""
