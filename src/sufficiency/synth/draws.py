"""Categorical draws from probability tables, vectorised over rows."""

from __future__ import annotations

import numpy as np


def choice_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of ``probs`` (rows need not be normalised)."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(probs))[:, None]
    out: np.ndarray = np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)
    return out


def pick(rng: np.random.Generator, codes: tuple[str, ...], p: list[float], n: int) -> np.ndarray:
    """``n`` codes drawn with probabilities ``p`` (normalised)."""
    w = np.asarray(p, dtype=float)
    return np.asarray(codes, dtype=object)[rng.choice(len(codes), size=n, p=w / w.sum())]
