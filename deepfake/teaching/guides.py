"""The experiment guides: five pages that walk a class through the lab's own pipeline, in the
order a course teaches it. The text lives in templates (``deepfake/guides/content/<slug>.html``)
with every sentence in ``{% translate %}``/``{% blocktranslate %}``, so a reader gets English or
Chinese; code listings are the lab's real commands and functions and stay untranslated."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Guide:
    slug: str
    number: int
    title: Promise
    summary: Promise
    hours: int  # class hours a class typically needs

    @property
    def template(self) -> str:
        return f"deepfake/guides/content/{self.slug}.html"


GUIDES: tuple[Guide, ...] = (
    Guide("data", 1, _("Experiment 1 · The data: real and generated faces"),
          _("Look at the training faces, find and align them with YuNet, split them without leaking a source."), 2),
    Guide("spectrum", 2, _("Experiment 2 · A spectrum baseline"),
          _("Turn each face into its frequency spectrum and fit a logistic regression: the traces GAN up-sampling leaves."), 2),
    Guide("cnn", 3, _("Experiment 3 · Training a small CNN"),
          _("Train the lab's small CNN with augmentations, watch the loss and the weakest generator's AUC."), 4),
    Guide("evaluation", 4, _("Experiment 4 · Evaluating a detector honestly"),
          _("ROC, AUC with ties, per-generator AUC, thresholds, robustness and the class challenge."), 2),
    Guide("video", 5, _("Experiment 5 · The video pipeline"),
          _("Sample frames, find faces, aggregate frame scores, calibrate the video threshold and say “uncertain”."), 4),
)
GUIDE_BY_SLUG = {guide.slug: guide for guide in GUIDES}
GUIDE_CHOICES = [(guide.slug, guide.title) for guide in GUIDES]


def guide_get(slug: str) -> Guide | None:
    return GUIDE_BY_SLUG.get(slug)
