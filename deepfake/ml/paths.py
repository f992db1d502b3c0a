"""Where the shipped detector lives (no heavy imports: read by the web process)."""

from pathlib import Path

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "weights"
DEFAULT_WEIGHTS = WEIGHTS_DIR / "small_cnn_v2.pt"
