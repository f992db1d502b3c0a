"""Frequency-spectrum features (Durall et al. 2019, "Unmasking DeepFakes with simple Features").

A grayscale face crop -> 2-D FFT -> log magnitude -> azimuthal average: the mean
log-magnitude over rings of equal spatial frequency. GAN up-sampling leaves
characteristic energy at high frequencies, visible at the right end of the curve.
The torch version is used by the spectrum classifier (and so runs batched on the
worker's device); the numpy version draws the teaching pictures.
"""
from __future__ import annotations

import numpy as np
import torch

_GRAY = (0.299, 0.587, 0.114)


def _radius_index(size: int) -> np.ndarray:
    y, x = np.indices((size, size))
    c = size // 2
    return np.hypot(x - c, y - c).astype(np.int64)


def n_bins(size: int) -> int:
    return size // 2  # rings beyond the inscribed circle are only partly sampled


def log_spectrum_np(gray: np.ndarray) -> np.ndarray:
    f = np.fft.fftshift(np.fft.fft2(gray.astype(np.float64)))
    return np.log(np.abs(f) + 1e-8)


def azimuthal_average_np(spectrum: np.ndarray) -> np.ndarray:
    size = spectrum.shape[0]
    r = _radius_index(size)
    bins = n_bins(size)
    sums = np.bincount(r.ravel(), spectrum.ravel(), minlength=bins)[:bins]
    counts = np.bincount(r.ravel(), minlength=bins)[:bins]
    return sums / np.maximum(counts, 1)


def spectrum_of_input(array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(log-magnitude spectrum, azimuthal average) of one preprocessed CHW input in [-1, 1]."""
    gray = np.tensordot(np.asarray(_GRAY), (array + 1.0) * 127.5, axes=1)
    spec = log_spectrum_np(gray)
    return spec, azimuthal_average_np(spec)


class AzimuthalFeatures(torch.nn.Module):
    """(N, 3, S, S) inputs in [-1, 1] -> (N, S/2) azimuthally averaged log spectra."""

    def __init__(self, size: int):
        super().__init__()
        bins = n_bins(size)
        r = torch.from_numpy(_radius_index(size)).reshape(-1)
        keep = r < bins
        one_hot = torch.zeros(size * size, bins)
        one_hot[torch.arange(size * size)[keep], r[keep]] = 1.0
        self.register_buffer("ring_mean", one_hot / one_hot.sum(0, keepdim=True), persistent=False)
        self.register_buffer("gray", torch.tensor(_GRAY).view(1, 3, 1, 1), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gray = ((x.float() + 1.0) * 127.5 * self.gray).sum(1)
        f = torch.fft.fftshift(torch.fft.fft2(gray), dim=(-2, -1))
        log_mag = torch.log(f.abs() + 1e-8).flatten(1)
        return log_mag @ self.ring_mean
