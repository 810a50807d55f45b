"""Hidden checks of assignment `descent`: run by the grader only.

Per exercise: random inputs on which every known wrong formula gives another answer (a learning
rate other than 1, beta other than 0.9, a non-diagonal Hessian, m != d, a short last batch), int
and list input, no argument changed in place, exact shapes, and the boundaries (r = lr * curvature
exactly 1 and 2 and just inside, zero steps, batch sizes m and 1). The wrong formulas and judges
are in `known.py`; the public checks' cases are covered here on other inputs.
"""

from types import ModuleType

import numpy as np

from grader.authoring import (
    StudentProxy,
    check,
    gradient_field,
    same_array,
    same_number,
    vector_function,
)

from .known import (
    MINIBATCH_MISTAKES,
    MOMENTUM_MISTAKES,
    MSE_MISTAKES,
    REGIME_MISTAKES,
    SGD_MISTAKES,
    STABLE_MISTAKES,
    STEP_MISTAKES,
    TRAJECTORY_MISTAKES,
    floats,
    leaves_arguments_alone,
    naming_shape_errors,
    plain_inputs,
    same_labels,
    same_minibatches,
    same_named_pair,
    same_trajectory,
)

# A tilted bowl: off-diagonal curvature and a linear term, so that ascent, a frozen gradient and
# a trajectory without x0 all differ from descent; its largest curvature is about 4.2, so the
# learning rates below (lr * 4.2 < 1.1) keep every iterate bounded.
BOWL_GRADIENT = gradient_field(
    vector_function("1.5*x0**2 + x1**2 + 2*x2**2 + x0*x1 - 0.5*x1*x2 + x0 - x2", n=3)
)
# Powers of two: r = lr * curvature is exact, so the boundaries are hit exactly.
TINY = 2.0**-20


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


def regression(rng: np.random.Generator, m: int, d: int) -> tuple[np.ndarray, ...]:
    """Random weights (d,), inputs (m, d) and targets (m,)."""
    return rng.normal(size=d), rng.normal(size=(m, d)), rng.normal(size=m)


# --- descent_step ----------------------------------------------------------------------------


@check("descent_step")
def test_step_random_point(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random point, gradient and learning rate below 1 (so lr * grad and grad differ)."""
    args = (rng.normal(size=5), rng.normal(size=5), float(rng.uniform(0.05, 0.5)))
    same_array(student, reference, "descent_step", *args, wrong=STEP_MISTAKES)


@check("descent_step")
def test_step_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """Lists of ints with lr = 0.5: the result holds halves, which an int array would lose."""
    x, grad = [3, -1, 2], [1, 2, -5]

    def judge(args: tuple) -> None:
        same_array(student, reference, "descent_step", *args, wrong=STEP_MISTAKES)

    plain_inputs(judge, (x, grad, 0.5), (*floats(x, grad), 0.5))


@check("descent_step")
def test_step_leaves_x_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """x and grad are the same after the call, and the step is right."""
    leaves_arguments_alone(student, "descent_step", (rng.normal(size=3), rng.normal(size=3), 0.1),
                           ("x", "grad"), reference)  # fmt: skip


# --- gradient_descent ------------------------------------------------------------------------


@check("gradient_descent", weight=2)
def test_trajectory_tilted_bowl(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Six steps on a tilted bowl from a random x0: shape (7, 3), x0 first, no row aliased."""
    args = (BOWL_GRADIENT, rng.uniform(-2, 2, size=3), float(rng.uniform(0.1, 0.25)), 6)
    same_trajectory(student, reference, args, wrong=TRAJECTORY_MISTAKES)


@check("gradient_descent", weight=0.5)
def test_trajectory_zero_steps(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """n_steps = 0: shape (1, 3), x0 alone."""
    args = (BOWL_GRADIENT, rng.uniform(-2, 2, size=3), 0.1, 0)
    same_trajectory(student, reference, args, wrong=TRAJECTORY_MISTAKES)


@check("gradient_descent")
def test_trajectory_integer_start(student: StudentProxy, reference: ModuleType) -> None:
    """x0 = [2, -1, 1], a list of ints: the iterates are not whole numbers."""
    x0 = [2, -1, 1]

    def judge(args: tuple) -> None:
        same_trajectory(student, reference, args, wrong=TRAJECTORY_MISTAKES)

    plain_inputs(judge, (BOWL_GRADIENT, x0, 0.125, 4), (BOWL_GRADIENT, *floats(x0), 0.125, 4))


@check("gradient_descent", weight=0.5)
def test_trajectory_leaves_x0_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """x0 is the same after the call (updating a float x0 in place would change it), and the
    trajectory is right."""
    leaves_arguments_alone(student, "gradient_descent",
                           (BOWL_GRADIENT, rng.uniform(-2, 2, size=3), 0.1, 3),
                           ("grad_fn", "x0"), reference)  # fmt: skip


# --- learning_rate_regime --------------------------------------------------------------------


# r = lr * curvature exactly 1 and 2, then just inside (1, 2): powers of two keep r exact. A
# curvature below 1 is among them, where lr alone is already above 2.
EXACT_BOUNDARIES = [(0.25, 4.0), (0.5, 4.0)]
JUST_INSIDE = [(2.0 + 4 * TINY, 0.5), (0.5 - TINY, 4.0)]
INTEGER_RATES = [(1, 2)]


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


@check("learning_rate_regime")
def test_regime_exact_boundaries(student: StudentProxy, reference: ModuleType) -> None:
    """r = 0.25 * 4 = 1 exactly is "monotone"; r = 0.5 * 4 = 2 exactly is "diverging"."""
    same_labels(student, reference, "learning_rate_regime", EXACT_BOUNDARIES,
                wrong=REGIME_MISTAKES)  # fmt: skip


@check("learning_rate_regime")
def test_regime_just_inside(student: StudentProxy, reference: ModuleType) -> None:
    """r = 2.0000038 * 0.5 = 1 + 2**-19 and 0.4999990 * 4 = 2 - 2**-18: both "oscillating"."""
    same_labels(student, reference, "learning_rate_regime", JUST_INSIDE, wrong=REGIME_MISTAKES)


@check("learning_rate_regime", weight=1.5)
def test_regime_random_curvature(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Curvatures other than 1 and 2, where lr alone, lr / curvature, r / 2 and 2 * r mislead."""
    same_labels(student, reference, "learning_rate_regime", random_regimes(rng),
                wrong=REGIME_MISTAKES)  # fmt: skip


@check("learning_rate_regime", weight=0.5)
def test_regime_integers(student: StudentProxy, reference: ModuleType) -> None:
    """Python ints: lr = 1, curvature = 2 gives r = 2, "diverging"."""
    same_labels(student, reference, "learning_rate_regime", INTEGER_RATES, wrong=REGIME_MISTAKES)


# --- max_stable_learning_rate ----------------------------------------------------------------


@check("max_stable_learning_rate", weight=1.5)
def test_stable_rate_rotated(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A non-diagonal 3x3 SPD matrix with separated eigenvalues below 1: its largest eigenvalue
    is neither its largest diagonal entry nor its trace, nor its smallest eigenvalue."""
    H = rotated(rng, flat_eigenvalues(rng))
    same_number(student, reference, "max_stable_learning_rate", H, wrong=STABLE_MISTAKES)


@check("max_stable_learning_rate", weight=0.5)
def test_stable_rate_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """H as a list of int lists with off-diagonal entries; the answer is one float."""
    H = [[2, 1, 0], [1, 3, 1], [0, 1, 4]]
    same_number(student, reference, "max_stable_learning_rate", H, wrong=STABLE_MISTAKES)


# --- mse_gradient ----------------------------------------------------------------------------


@check("mse_gradient", weight=1.5)
def test_mse_random_problem(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """m = 7 samples, d = 3 weights: shape (3,), the 2, the 1 / m and X.T all show."""
    with naming_shape_errors():
        same_array(student, reference, "mse_gradient", *regression(rng, 7, 3), wrong=MSE_MISTAKES)


@check("mse_gradient")
def test_mse_square_inputs(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A square X (m = d = 4), where X @ (X @ w - y) has the right shape but not the values."""
    with naming_shape_errors():
        same_array(student, reference, "mse_gradient", *regression(rng, 4, 4), wrong=MSE_MISTAKES)


@check("mse_gradient", weight=0.5)
def test_mse_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """w, X and y as lists of ints."""
    w, X, y = [1, -1], [[1, 2], [0, 1], [3, -1]], [2, 0, 1]

    def judge(args: tuple) -> None:
        with naming_shape_errors():
            same_array(student, reference, "mse_gradient", *args, wrong=MSE_MISTAKES)

    plain_inputs(judge, (w, X, y), floats(w, X, y))


# --- minibatches -----------------------------------------------------------------------------


@check("minibatches", weight=1.5)
def test_batches_short_last(student: StudentProxy, reference: ModuleType) -> None:
    """23 samples in batches of 5, seed 7: four of 5 and a last one of 3, in the seeded order."""
    same_minibatches(student, reference, 23, 5, 7, wrong=MINIBATCH_MISTAKES)


@check("minibatches", weight=0.5)
def test_batches_exact_fit(student: StudentProxy, reference: ModuleType) -> None:
    """7 samples in batches of 1 with seed 3: seven batches of one index and no empty one."""
    same_minibatches(student, reference, 7, 1, 3, wrong=MINIBATCH_MISTAKES)


# --- sgd_epoch -------------------------------------------------------------------------------


def same_epoch(student: StudentProxy, reference: ModuleType, args: tuple) -> None:
    """sgd_epoch's weights, naming the mistake (and a matmul shape error) when one matches."""
    with naming_shape_errors():
        same_array(student, reference, "sgd_epoch", *args, wrong=SGD_MISTAKES)


@check("sgd_epoch")
def test_epoch_full_batch(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """batch_size = m = 6: batch gradient descent, one step with the full gradient."""
    same_epoch(student, reference, (*regression(rng, 6, 3), 0.05, 6, 4))


@check("sgd_epoch")
def test_epoch_one_sample_batches(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """batch_size = 1: stochastic gradient descent, one step per sample in the shuffled order."""
    same_epoch(student, reference, (*regression(rng, 5, 2), 0.1, 1, 5))


@check("sgd_epoch", weight=1.5)
def test_epoch_short_last_batch(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """m = 7 in batches of 3 (3, 3 and 1), seed 11: the batches of minibatches, in order."""
    same_epoch(student, reference, (*regression(rng, 7, 3), 0.05, 3, 11))


@check("sgd_epoch", weight=0.5)
def test_epoch_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """w, X and y as lists of ints."""
    w, X, y = [0, 0], [[1, 2], [0, 1], [2, -1], [1, 1]], [1, 0, 2, -1]
    plain_inputs(lambda args: same_epoch(student, reference, args),
                 (w, X, y, 0.1, 2, 3), (*floats(w, X, y), 0.1, 2, 3))  # fmt: skip


@check("sgd_epoch")
def test_epoch_leaves_w_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """w, X and y are the same after the call (w -= ... on the given w would change it), and the
    epoch's result is right."""
    with naming_shape_errors():
        leaves_arguments_alone(student, "sgd_epoch", (*regression(rng, 5, 2), 0.1, 2, 0),
                               ("w", "X", "y"), reference)  # fmt: skip


# --- momentum_step ---------------------------------------------------------------------------


@check("momentum_step", weight=1.5)
def test_momentum_random_rates(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A moving start, lr between 0.2 and 0.5 and beta between 0.3 and 0.7 (not 0.9)."""
    x, velocity, grad = rng.normal(size=(3, 3))
    args = (x, velocity, grad, float(rng.uniform(0.2, 0.5)))
    same_named_pair(student, reference, "momentum_step", args,
                    {"beta": float(rng.uniform(0.3, 0.7))}, wrong=MOMENTUM_MISTAKES)  # fmt: skip


@check("momentum_step", weight=0.5)
def test_momentum_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """x, velocity and grad as lists of ints, beta left at its default 0.9."""
    x, velocity, grad = [1, -2, 0], [0, 1, 2], [3, 1, -1]

    def judge(args: tuple) -> None:
        same_named_pair(student, reference, "momentum_step", args, wrong=MOMENTUM_MISTAKES)

    plain_inputs(judge, (x, velocity, grad, 0.5), (*floats(x, velocity, grad), 0.5))


@check("momentum_step")
def test_momentum_leaves_arguments_alone(student: StudentProxy, rng: np.random.Generator) -> None:
    """x, velocity and grad are the same after the call (beta passed by position)."""
    args = (rng.normal(size=3), rng.normal(size=3), rng.normal(size=3), 0.2, 0.8)
    leaves_arguments_alone(student, "momentum_step", args, ("x", "velocity", "grad"))
