"""The inputs assignment `backprop`'s hidden checks draw: functions to compose, random networks,
gradients and matrices on which the known wrong formulas give answers of their own.
"""

import numpy as np

from grader.authoring import scalar_function

# f(u) = sin(u) + u**2 / 4 after g(x) = x**3 - 2x + 1: g(x) is far from x, dg(x) from g(x), and
# df is neither even nor a multiple of dg, so each wrong composition gives its own number.
OUTER_SLOPE = scalar_function("cos(x) + x/2", label="df(u) = cos(u) + u/2")
INNER = scalar_function("x**3 - 2*x + 1", label="g(x) = x**3 - 2*x + 1")
INNER_SLOPE = scalar_function("3*x**2 - 2", label="dg(x) = 3*x**2 - 2")
# exp after tanh: a second composition, bounded inner function.
EXP_SLOPE = scalar_function("exp(x)", label="df(u) = exp(u)")
TANH = scalar_function("tanh(x)", label="g(x) = tanh(x)")
TANH_SLOPE = scalar_function("1 - tanh(x)**2", label="dg(x) = 1 - tanh(x)**2")


def network(rng: np.random.Generator, d: int, k: int, m: int) -> tuple:
    """A random network (W1, b1, W2, b2) with inputs X (m, d) and targets y (m,)."""
    return (rng.normal(size=(d, k)), rng.normal(size=k) * 0.5, rng.normal(size=k),
            float(rng.normal()), rng.normal(size=(m, d)), rng.normal(size=m))  # fmt: skip


def gradients(rng: np.random.Generator, count: int, n: int, scale: float = 1.0) -> list:
    """`count` random gradients of shape (n,), entries of both signs around `scale`."""
    signs = rng.choice([-1.0, 1.0], size=(count, n))
    return list(signs * scale * rng.uniform(0.3, 2.0, size=(count, n)))


def non_symmetric(rng: np.random.Generator, n: int) -> np.ndarray:
    """An invertible, well-conditioned matrix that is not symmetric and not diagonal: its
    diagonal (2.5 to 4) outweighs each row's other entries (at most 1.7), and its corners differ
    by at least 1, so H, H.T and diag(H) give three different steps."""
    matrix = rng.uniform(-0.5, 0.5, size=(n, n))
    matrix[0, -1], matrix[-1, 0] = rng.uniform(0.8, 1.2), rng.uniform(-0.5, -0.2)
    return matrix - np.diag(np.diag(matrix)) + np.diag(rng.uniform(2.5, 4.0, size=n))


def relu_inputs(rng: np.random.Generator, size: int) -> np.ndarray:
    """Values of both signs, some of them in (-1, 1), and exact zeros, shuffled."""
    values = np.concatenate([
        -rng.uniform(1.0, 3.0, size=1), -rng.uniform(0.01, 0.9, size=1), np.zeros(2),
        rng.uniform(0.01, 0.9, size=1), rng.uniform(1.0, 3.0, size=size - 5),
    ])  # fmt: skip
    return rng.permutation(values)


def long_gradient(rng: np.random.Generator, max_norm: float, n: int = 5) -> np.ndarray:
    """A gradient of norm well above max_norm with one component above max_norm and others
    below it, so clipping each component, or by another measure, gives another answer."""
    grad = rng.choice([-1.0, 1.0], size=n) * rng.uniform(0.2, 0.6, size=n) * max_norm
    grad[rng.integers(n)] = rng.choice([-1.0, 1.0]) * rng.uniform(2.5, 4.0) * max_norm
    return grad
