"""Hidden checks of assignment `descent`: run by the grader only."""

import numpy as np

from grader.checking import check
from grader.checks.helpers import same_array, same_batches, same_label, same_number, same_pair
from grader.specs import gradient_field, vector_function

REGIMES = ("monotone", "oscillating", "diverging")


@check("descent_step", weight=2)
def test_descent_step_random(student, reference, rng):
    """A random point, gradient and learning rate."""
    same_array(student, reference, "descent_step", rng.normal(size=4), rng.normal(size=4),
               float(rng.uniform(0.01, 1)))  # fmt: skip


@check("gradient_descent", weight=2)
def test_gradient_descent_trajectory(student, reference):
    """Ten steps on a tilted bowl: every iterate, x0 first, none aliased."""
    grad = gradient_field(vector_function("x0**2 + 3*x1**2 + x0*x1", n=2))
    same_array(student, reference, "gradient_descent", grad, np.array([2.0, -1.0]), 0.1, 10)


@check("learning_rate_regime", weight=2)
def test_learning_rate_regime_boundaries(student, reference):
    """r = lr * curvature exactly 1 is monotone and exactly 2 diverging."""
    for lr, curvature in ((0.5, 2.0), (1.0, 2.0), (0.75, 2.0), (0.25, 4.0)):
        same_label(student, reference, "learning_rate_regime", lr, curvature, vocabulary=REGIMES)


@check("max_stable_learning_rate", weight=2)
def test_max_stable_learning_rate_full(student, reference, rng):
    """A random symmetric positive-definite 3x3 matrix."""
    M = rng.normal(size=(3, 3))
    same_number(student, reference, "max_stable_learning_rate", M @ M.T + np.eye(3))


@check("mse_gradient", weight=2)
def test_mse_gradient_random(student, reference, rng):
    """A random 8x3 problem."""
    same_array(student, reference, "mse_gradient", rng.normal(size=3), rng.normal(size=(8, 3)),
               rng.normal(size=8))  # fmt: skip


@check("minibatches", weight=2)
def test_minibatches_seeded(student, reference):
    """23 samples in batches of 5 with seed 7: exactly the seeded permutation, cut in order."""
    same_batches(student, reference, 23, 5, 7)


@check("sgd_epoch", weight=2)
def test_sgd_epoch_minibatch(student, reference, rng):
    """A mini-batch epoch (batch size 2) on a random 7x3 problem."""
    same_array(student, reference, "sgd_epoch", rng.normal(size=3), rng.normal(size=(7, 3)),
               rng.normal(size=7), 0.05, 2, 11)  # fmt: skip


@check("momentum_step", weight=2)
def test_momentum_step_learning_rate(student, reference, rng):
    """A moving start, lr = 0.3 and beta = 0.5."""
    same_pair(student, reference, "momentum_step", rng.normal(size=3), rng.normal(size=3),
              rng.normal(size=3), 0.3, beta=0.5)  # fmt: skip


@check("max_stable_learning_rate")
def test_max_stable_learning_rate_float(student, reference):
    """The answer is a single number."""
    same_number(student, reference, "max_stable_learning_rate", np.array([[3.0, 1.0], [1.0, 3.0]]))
