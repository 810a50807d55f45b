"""Hidden checks of assignment `descent`: run by the grader only.

Per exercise: random inputs on which every known wrong formula gives another answer (`inputs.py`),
int and list input, no argument changed in place, exact shapes, and the boundaries and special
values the contract and the docstrings name: r = lr * curvature exactly 1 and 2 and either side,
zero steps, a one-dimensional problem, batch sizes 1, m and above m, beta = 0. A check of a
boundary or a property also asks for a right value where doing nothing is wrong, so that it
earns nothing on its own. Exercises that shuffle are asked each call twice (`answered_twice`).
The wrong formulas are in `known.py`, the judges in `judges.py`.
"""

from types import ModuleType

import numpy as np

from grader.authoring import StudentProxy, check

from .inputs import (
    BOWL_GRADIENT,
    EXACT_BOUNDARIES,
    INTEGER_RATES,
    LINE_GRADIENT,
    NEAR_BOUNDARIES,
    flat_eigenvalues,
    random_regimes,
    regression,
    rotated,
    unsorted_diagonal,
)
from .judges import (
    floats,
    leaves_arguments_alone,
    naming_shape_errors,
    plain_inputs,
    same_array,
    same_labels,
    same_minibatches,
    same_named_pair,
    same_number,
    same_trajectory,
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
)

# --- descent_step ----------------------------------------------------------------------------


@check("descent_step")
def test_step_random_point(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random point, gradient and learning rate below 1 (so lr * grad and grad differ), then
    the same in one dimension (shape (1,) stays (1,))."""
    for n in (5, 1):
        args = (rng.normal(size=n), rng.normal(size=n), float(rng.uniform(0.05, 0.5)))
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
    """n_steps = 0: shape (1, 3), x0 alone; then one step from the same x0, which is not x0."""
    x0, lr = rng.uniform(-2, 2, size=3), float(rng.uniform(0.1, 0.25))
    for n_steps in (0, 1):
        same_trajectory(student, reference, (BOWL_GRADIENT, x0, lr, n_steps),
                        wrong=TRAJECTORY_MISTAKES)  # fmt: skip


@check("gradient_descent", weight=0.5)
def test_trajectory_one_dimension(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """n = 1: four steps on x**4 / 4 + x give shape (5, 1), not (5,)."""
    args = (LINE_GRADIENT, rng.uniform(0.5, 1.0, size=1), float(rng.uniform(0.1, 0.2)), 4)
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


@check("learning_rate_regime")
def test_regime_exact_boundaries(student: StudentProxy, reference: ModuleType) -> None:
    """r = 0.25 * 4 = 1 exactly is "monotone"; r = 0.5 * 4 = 2 exactly is "diverging"."""
    same_labels(student, reference, "learning_rate_regime", EXACT_BOUNDARIES,
                wrong=REGIME_MISTAKES)  # fmt: skip


@check("learning_rate_regime")
def test_regime_near_boundaries(student: StudentProxy, reference: ModuleType) -> None:
    """r = 1 + 2**-39 and 2 - 2**-38 are "oscillating"; r = 1 - 2**-39 is "monotone" and
    r = 2 + 2**-38 "diverging": a tolerance around 1 or 2 (even 1e-11) errs here."""
    same_labels(student, reference, "learning_rate_regime", NEAR_BOUNDARIES, wrong=REGIME_MISTAKES)


@check("learning_rate_regime", weight=1.5)
def test_regime_random_curvature(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Curvatures other than 1 and 2, where lr alone, lr / curvature, r / 2 and 2 * r mislead."""
    same_labels(student, reference, "learning_rate_regime", random_regimes(rng),
                wrong=REGIME_MISTAKES)  # fmt: skip


@check("learning_rate_regime", weight=0.5)
def test_regime_integers(student: StudentProxy, reference: ModuleType) -> None:
    """Python ints: lr = 1 with curvature 2 is r = 2, "diverging"; with curvature 1, "monotone"."""
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
def test_stable_rate_unsorted_diagonal(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """diag(middle, largest, smallest), where np.linalg.eigvals gives the middle one first; then
    a 1x1 H, whose answer is still one float."""
    for H in (unsorted_diagonal(rng), [[float(rng.uniform(0.5, 2.0))]]):
        same_number(student, reference, "max_stable_learning_rate", H, wrong=STABLE_MISTAKES)


@check("max_stable_learning_rate", weight=0.5)
def test_stable_rate_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """H as a list of int lists with off-diagonal entries; the answer is one float."""
    H = [[2, 1, 0], [1, 3, 1], [0, 1, 4]]
    same_number(student, reference, "max_stable_learning_rate", H, wrong=STABLE_MISTAKES)


# --- mse_gradient ----------------------------------------------------------------------------


def same_mse(student: StudentProxy, reference: ModuleType, args: tuple) -> None:
    """mse_gradient's (d,) array, naming the mistake (and a matmul shape error) when certain."""
    with naming_shape_errors():
        same_array(student, reference, "mse_gradient", *args, wrong=MSE_MISTAKES)


@check("mse_gradient", weight=1.5)
def test_mse_random_problem(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """m = 7 samples, d = 3 weights: shape (3,), the 2, the 1 / m and X.T all show."""
    same_mse(student, reference, regression(rng, 7, 3))


@check("mse_gradient")
def test_mse_square_inputs(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A square X (m = d = 4), where X @ (X @ w - y) has the right shape but not the values."""
    same_mse(student, reference, regression(rng, 4, 4))


@check("mse_gradient", weight=0.5)
def test_mse_one_weight_one_sample(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """d = 1 (X of shape (5, 1)) gives shape (1,); m = 1 (X of shape (1, 3)) gives shape (3,)."""
    for m, d in ((5, 1), (1, 3)):
        same_mse(student, reference, regression(rng, m, d))


@check("mse_gradient", weight=0.5)
def test_mse_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """w, X and y as lists of ints (m = 5, d = 3)."""
    w, y = [1, -1, 2], [2, 0, 1, -1, 3]
    X = [[1, 2, 0], [0, 1, -1], [3, -1, 1], [2, 0, 1], [-1, 1, 1]]
    plain_inputs(lambda args: same_mse(student, reference, args), (w, X, y), floats(w, X, y))


# --- minibatches -----------------------------------------------------------------------------


@check("minibatches", weight=1.5)
def test_batches_short_last(student: StudentProxy, reference: ModuleType) -> None:
    """23 samples in batches of 5, seed 7: four of 5 and a last one of 3, in the seeded order."""
    same_minibatches(student, reference, 23, 5, 7, wrong=MINIBATCH_MISTAKES)


@check("minibatches", weight=0.5)
def test_batches_exact_fit(student: StudentProxy, reference: ModuleType) -> None:
    """7 samples in batches of 1 with seed 3: seven batches of one index and no empty one."""
    same_minibatches(student, reference, 7, 1, 3, wrong=MINIBATCH_MISTAKES)


@check("minibatches", weight=0.5)
def test_batches_one_batch(student: StudentProxy, reference: ModuleType) -> None:
    """batch_size = n_samples (6, seed 5) and batch_size > n_samples (5 in batches of 8, seed 9):
    one batch each, the whole permutation."""
    for n_samples, batch_size, seed in ((6, 6, 5), (5, 8, 9)):
        same_minibatches(student, reference, n_samples, batch_size, seed, wrong=MINIBATCH_MISTAKES)


# --- sgd_epoch -------------------------------------------------------------------------------


def same_epoch(student: StudentProxy, reference: ModuleType, args: tuple) -> None:
    """sgd_epoch's weights, asked twice, naming the mistake (and a matmul shape error)."""
    with naming_shape_errors():
        same_array(student, reference, "sgd_epoch", *args, wrong=SGD_MISTAKES, twice=True)


@check("sgd_epoch")
def test_epoch_full_batch(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """batch_size = m = 6, then batch_size = 9 > m: batch gradient descent, one full step."""
    problem = regression(rng, 6, 3)
    for batch_size in (6, 9):
        same_epoch(student, reference, (*problem, 0.05, batch_size, 4))


@check("sgd_epoch")
def test_epoch_one_sample_batches(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """batch_size = 1: stochastic gradient descent, one step per sample in the shuffled order."""
    same_epoch(student, reference, (*regression(rng, 5, 3), 0.1, 1, 5))


@check("sgd_epoch", weight=1.5)
def test_epoch_short_last_batch(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """m = 7 in batches of 3 (3, 3 and 1), seed 11: the batches of minibatches, in order."""
    same_epoch(student, reference, (*regression(rng, 7, 3), 0.05, 3, 11))


@check("sgd_epoch", weight=0.5)
def test_epoch_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """w, X and y as lists of ints (m = 7 in batches of 2, 2, 2 and 1)."""
    w, y = [0, 0, 1], [1, 0, 2, -1, 1, 3, -2]
    X = [[1, 2, 0], [0, 1, 1], [2, -1, 0], [1, 1, -1], [0, 2, 1], [-1, 0, 2], [1, -2, 1]]
    plain_inputs(lambda args: same_epoch(student, reference, args),
                 (w, X, y, 0.1, 2, 3), (*floats(w, X, y), 0.1, 2, 3))  # fmt: skip


@check("sgd_epoch")
def test_epoch_leaves_w_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """w, X and y are the same after the call (w -= ... on the given w would change it), and the
    epoch's result is right."""
    with naming_shape_errors():
        leaves_arguments_alone(student, "sgd_epoch", (*regression(rng, 7, 3), 0.1, 3, 0),
                               ("w", "X", "y"), reference, twice=True)  # fmt: skip


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
def test_momentum_beta_zero(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """beta = 0 (plain descent: v_new = grad, a 0 that `beta or 0.9` would replace), then
    beta = 0.5 by position on the same point, where the velocity counts."""
    x, velocity, grad = rng.normal(size=(3, 3))
    lr = float(rng.uniform(0.2, 0.5))
    same_named_pair(student, reference, "momentum_step", (x, velocity, grad, lr), {"beta": 0.0},
                    wrong=MOMENTUM_MISTAKES)  # fmt: skip
    same_named_pair(student, reference, "momentum_step", (x, velocity, grad, lr, 0.5),
                    wrong=MOMENTUM_MISTAKES)  # fmt: skip


@check("momentum_step", weight=0.5)
def test_momentum_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """x, velocity and grad as lists of ints, beta left at its default 0.9."""
    x, velocity, grad = [1, -2, 0], [0, 1, 2], [3, 1, -1]

    def judge(args: tuple) -> None:
        same_named_pair(student, reference, "momentum_step", args, wrong=MOMENTUM_MISTAKES)

    plain_inputs(judge, (x, velocity, grad, 0.5), (*floats(x, velocity, grad), 0.5))


@check("momentum_step")
def test_momentum_leaves_arguments_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """x, velocity and grad are the same after the call (beta passed by position), and the
    answer is right."""
    args = (rng.normal(size=3), rng.normal(size=3), rng.normal(size=3), 0.2, 0.8)
    leaves_arguments_alone(student, "momentum_step", args, ("x", "velocity", "grad"), reference)
