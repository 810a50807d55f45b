"""The inputs of the hidden checks of assignment `descent`, chosen so that the mistakes differ.

Learning rates other than 1, beta other than 0.9 and 0, a non-diagonal Hessian whose largest
eigenvalue is neither its largest entry nor its trace, a diagonal one whose entries are not
sorted (so that the first eigenvalue `np.linalg.eigvals` gives is neither the largest nor the
smallest), regression problems with m, d and the batch sizes not small multiples of each other
(on a square X dividing by d is dividing by m; with m = 2 * batch size the batches' 1 / m equals
the factor 2 forgotten), and r = lr * curvature exactly on its boundaries.
"""

from __future__ import annotations

import numpy as np

from grader.authoring import gradient_field, vector_function

# A tilted bowl: off-diagonal curvature and a linear term, so that ascent, a frozen gradient and
# a trajectory without x0 all differ from descent; its largest curvature is about 4.2, so the
# learning rates used with it (lr * 4.2 < 1.1) keep every iterate bounded.
BOWL_GRADIENT = gradient_field(
    vector_function("1.5*x0**2 + x1**2 + 2*x2**2 + x0*x1 - 0.5*x1*x2 + x0 - x2", n=3)
)
# One dimension: f(x) = x**4 / 4 + x, gradient x**3 + 1, whose iterates are not multiples of x0.
LINE_GRADIENT = gradient_field(vector_function("x0**4/4 + x0", n=1))

# Powers of two: r = lr * curvature is exact, so the boundaries are hit exactly, and a step of
# 2**-40 beside them is exact too (an answer that errs there compares with a tolerance).
TINY = 2.0**-40
# r exactly 1 ("monotone") and 2 ("diverging").
EXACT_BOUNDARIES = [(0.25, 4.0), (0.5, 4.0)]
# r = 1 + 2**-39 and 2 - 2**-38 ("oscillating"), then 1 - 2**-39 ("monotone") and 2 + 2**-38
# ("diverging"): a curvature below 1 is among them, where lr alone is already above 2.
NEAR_BOUNDARIES = [(2.0 + 4 * TINY, 0.5), (0.5 - TINY, 4.0), (2.0 - 4 * TINY, 0.5),
                   (0.5 + TINY, 4.0)]  # fmt: skip
# Python ints: r = 2 ("diverging") and r = 1 ("monotone").
INTEGER_RATES = [(1, 2), (1, 1)]


def random_regimes(rng: np.random.Generator) -> list[tuple[float, float]]:
    """A diverging and an oscillating case on which every wrong rule errs differently.

    The first has 1 < lr < 2 and r = lr * curvature > 4, so lr alone would oscillate, lr /
    curvature < 1 would be monotone and r / 2 > 2 diverging; the second has 1 < r < 2 with
    lr < 1, where 2 * r > 2 would diverge.
    """
    diverging = (float(rng.uniform(1.2, 1.6)), float(rng.uniform(3.4, 4.0)))
    curvature = float(rng.uniform(2.5, 4.0))
    oscillating = (float(rng.uniform(1.2, 1.8)) / curvature, curvature)
    return [diverging, oscillating]


def rotated(rng: np.random.Generator, eigenvalues: tuple[float, ...]) -> np.ndarray:
    """A symmetric matrix with these eigenvalues and random (off-diagonal) eigenvectors."""
    q, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues), len(eigenvalues))))
    matrix = q @ np.diag(eigenvalues) @ q.T
    return (matrix + matrix.T) / 2


def flat_eigenvalues(rng: np.random.Generator) -> tuple[float, float, float]:
    """Eigenvalues below 1, the largest one above the sum of the two others.

    So 2 / lambda_max is above 2, and the trace (below 2 * lambda_max), the largest diagonal
    entry, the Frobenius norm and the smallest eigenvalue each give another rate.
    """
    return (
        float(rng.uniform(0.05, 0.15)),
        float(rng.uniform(0.2, 0.35)),
        float(rng.uniform(0.5, 0.7)),
    )


def unsorted_diagonal(rng: np.random.Generator) -> np.ndarray:
    """diag(middle, largest, smallest): `np.linalg.eigvals` gives a diagonal's entries in order,
    so its first is the middle eigenvalue.

    The largest (0.62 to 0.68) is above the sum of the others (below 0.55), which keeps 2 / the
    trace apart from 1 / the largest, and 2 * the largest apart from 1 / it.
    """
    middle = float(rng.uniform(0.25, 0.4))
    largest = float(rng.uniform(0.62, 0.68))
    smallest = float(rng.uniform(0.05, 0.15))
    return np.diag([middle, largest, smallest])


def regression(rng: np.random.Generator, m: int, d: int) -> tuple[np.ndarray, ...]:
    """Random weights (d,), inputs (m, d) and targets (m,)."""
    return rng.normal(size=d), rng.normal(size=(m, d)), rng.normal(size=m)
