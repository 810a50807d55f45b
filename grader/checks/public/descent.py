"""Public checks of assignment `descent`: students run these themselves with `grader check`."""

import numpy as np

from grader.checking import check
from grader.checks.helpers import same_array, same_batches, same_label, same_number, same_pair
from grader.specs import gradient_field, vector_function

REGIMES = ("monotone", "oscillating", "diverging")


@check("descent_step")
def test_descent_step_simple(student, reference):
    """One step from (1, 2) against the gradient (2, 4) with lr = 0.1."""
    same_array(student, reference, "descent_step", np.array([1.0, 2.0]), np.array([2.0, 4.0]), 0.1)


@check("gradient_descent")
def test_gradient_descent_bowl(student, reference):
    """Three steps on x0**2 + x1**2 from (1, 1) with lr = 0.25."""
    grad = gradient_field(vector_function("x0**2 + x1**2", n=2))
    same_array(student, reference, "gradient_descent", grad, np.array([1.0, 1.0]), 0.25, 3)


@check("learning_rate_regime")
def test_learning_rate_regime_each(student, reference):
    """One learning rate in each regime for curvature 1."""
    for lr in (0.5, 1.5, 2.5):
        same_label(student, reference, "learning_rate_regime", lr, 1.0, vocabulary=REGIMES)


@check("max_stable_learning_rate")
def test_max_stable_learning_rate_diagonal(student, reference):
    """diag(1, 4): 2 / 4 = 0.5."""
    same_number(student, reference, "max_stable_learning_rate", np.diag([1.0, 4.0]))


@check("mse_gradient")
def test_mse_gradient_small(student, reference):
    """A 3x2 problem."""
    X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    same_array(student, reference, "mse_gradient", np.array([0.5, -1.0]), X,
               np.array([1.0, 0.0, 2.0]))  # fmt: skip


@check("minibatches")
def test_minibatches_small(student, reference):
    """10 samples in batches of 4: sizes 4, 4, 2, from the seeded permutation."""
    same_batches(student, reference, 10, 4, 0)


@check("sgd_epoch")
def test_sgd_epoch_batch(student, reference):
    """One full-batch epoch is one gradient step."""
    X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    same_array(
        student, reference, "sgd_epoch", np.zeros(2), X, np.array([1.0, 0.0, 2.0]), 0.01, 3, 0
    )


@check("momentum_step")
def test_momentum_step_simple(student, reference):
    """One momentum step from rest."""
    same_pair(student, reference, "momentum_step", np.array([1.0, 2.0]), np.zeros(2),
              np.array([2.0, 4.0]), 0.1)  # fmt: skip
