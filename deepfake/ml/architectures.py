"""The two detector architectures, plain torch.nn. Both take (N, 3, S, S) in [-1, 1]
(``faces.preprocess_face``) and return one logit per face (fake = positive)."""
from __future__ import annotations

import torch
from torch import nn

from .spectrum import AzimuthalFeatures, n_bins


class SpectrumLogReg(nn.Module):
    """Durall et al. 2019 baseline: azimuthal-average log spectrum + logistic regression.

    The features are standardised with the training set's mean/std (buffers, saved
    with the weights) so the linear model trains well with plain gradient descent.
    """

    arch = "spectrum_logreg"

    def __init__(self, input_size: int = 64):
        super().__init__()
        bins = n_bins(input_size)
        self.features = AzimuthalFeatures(input_size)
        self.register_buffer("feature_mean", torch.zeros(bins))
        self.register_buffer("feature_std", torch.ones(bins))
        self.linear = nn.Linear(bins, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = (self.features(x) - self.feature_mean) / self.feature_std
        return self.linear(f).squeeze(1)


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
    )


class SmallCNN(nn.Module):
    """Four conv blocks (16-32-64-128 channels), global average pool, dropout, one logit.
    About 0.29 M parameters: 1.2 MB as float32."""

    arch = "small_cnn"

    def __init__(self, input_size: int = 64, width: int = 16):
        super().__init__()
        self.body = nn.Sequential(
            _block(3, width), _block(width, width * 2), _block(width * 2, width * 4), _block(width * 4, width * 8)
        )
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(width * 8, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x)).squeeze(1)


ARCHITECTURES: dict[str, type[nn.Module]] = {SmallCNN.arch: SmallCNN, SpectrumLogReg.arch: SpectrumLogReg}


def build(arch: str, **config) -> nn.Module:
    try:
        cls = ARCHITECTURES[arch]
    except KeyError:
        raise ValueError(f"unknown architecture {arch!r}; choose from {sorted(ARCHITECTURES)}") from None
    return cls(**config)
