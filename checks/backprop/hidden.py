"""Hidden checks of assignment `backprop`: run by the grader only.

Per exercise: random inputs drawn per student on which every known wrong formula gives another
answer (compositions where g(x) != x, points where the sigmoid's slope is far from its value, a
network with d != k != m, a non-symmetric H, learning rates and decay rates other than the
defaults), the contract's edges (z = +-1000, z = 0 exactly, a norm exactly max_norm, a zero
gradient, k = 1, m = 1, d = 1, Adam at t = 1 and at large t, tiny and large gradients), int and
list input, exact shapes and dtypes, and no argument changed in place. `mlp_gradients` is judged
twice: against the reference, and against central differences of the given `mlp_loss`. The
optimisers are stepped several times, each step on the student's own returned state. The wrong
formulas are in `known.py`, the judges in `judges.py` and `network_judges.py`, the inputs in
`inputs.py`.
"""

from types import ModuleType

import numpy as np

from grader.authoring import (
    StudentProxy,
    check,
    check_dtype,
    fail,
    require,
    same_value,
)

from .inputs import (
    EXP_SLOPE,
    INNER,
    INNER_SLOPE,
    OUTER_SLOPE,
    TANH,
    TANH_SLOPE,
    gradients,
    long_gradient,
    network,
    non_symmetric,
    relu_inputs,
)
from .judges import (
    floats,
    leaves_arguments_alone,
    plain_inputs,
    same_answer,
    same_answers,
    same_floats,
    same_steps,
    same_tuple,
)
from .known import (
    ADAGRAD_MISTAKES,
    ADAM_MISTAKES,
    CHAIN_MISTAKES,
    CLIP_MISTAKES,
    MLP_MISTAKES,
    NEWTON_MISTAKES,
    RELU_MISTAKES,
    RMSPROP_MISTAKES,
    SIGMOID_MISTAKES,
)
from .network_judges import gradient_check, same_gradients

ADAGRAD_PARTS = ("x_new", "accum_new")
RMSPROP_PARTS = ("x_new", "sq_new")
ADAM_PARTS = ("x_new", "m_new", "v_new")


# --- chain_rule_derivative -------------------------------------------------------------------


@check("chain_rule_derivative", weight=2)
def test_chain_rule_random_points(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Three points in [0.3, 1.7] of sin(u) + u**2 / 4 after x**3 - 2x + 1."""
    for x in rng.uniform(0.3, 1.7, size=3):
        same_answer(student, reference, "chain_rule_derivative", OUTER_SLOPE, INNER, INNER_SLOPE,
                    float(x), wrong=CHAIN_MISTAKES)  # fmt: skip


@check("chain_rule_derivative")
def test_chain_rule_exp_of_tanh(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """exp(tanh(x)) at a negative point: its derivative exp(tanh(x)) * (1 - tanh(x)**2)."""
    same_answer(student, reference, "chain_rule_derivative", EXP_SLOPE, TANH, TANH_SLOPE,
                float(rng.uniform(-1.5, -0.4)), wrong=CHAIN_MISTAKES)  # fmt: skip


@check("chain_rule_derivative", weight=0.5)
def test_chain_rule_int_x(student: StudentProxy, reference: ModuleType) -> None:
    """x = 2, a Python int: g(2) = 5, and the answer is the float (cos(5) + 5/2) * 10."""
    same_answer(student, reference, "chain_rule_derivative", OUTER_SLOPE, INNER, INNER_SLOPE, 2,
                wrong=CHAIN_MISTAKES)  # fmt: skip


# --- sigmoid_derivative ----------------------------------------------------------------------


@check("sigmoid_derivative", weight=2)
def test_sigmoid_derivative_random_points(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Six points in [-5, 5], as an array: there every known mistake gives another answer."""
    z = rng.uniform(-5.0, 5.0, size=6)
    same_answer(student, reference, "sigmoid_derivative", z, wrong=SIGMOID_MISTAKES)


@check("sigmoid_derivative")
def test_sigmoid_derivative_far_from_zero(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """z = -1000 and 1000, where exp(-z) or exp(z) overflows: a finite float (0 to double
    precision), then an array holding both next to a moderate z."""
    for z in (-1000.0, 1000.0, float(rng.uniform(1.0, 3.0))):
        same_answer(student, reference, "sigmoid_derivative", z, wrong=SIGMOID_MISTAKES)
    same_answer(student, reference, "sigmoid_derivative",
                np.array([-1000.0, -30.0, float(rng.uniform(-2.0, 2.0)), 30.0, 1000.0]),
                wrong=SIGMOID_MISTAKES)  # fmt: skip


@check("sigmoid_derivative")
def test_sigmoid_derivative_shapes(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """An int gives a float, a (2, 3) array an array of shape (2, 3), a one-element array an
    array of shape (1,) (not a float)."""
    same_answer(student, reference, "sigmoid_derivative", 1, wrong=SIGMOID_MISTAKES)
    same_answer(student, reference, "sigmoid_derivative", rng.uniform(-3.0, 3.0, size=(2, 3)),
                wrong=SIGMOID_MISTAKES)  # fmt: skip
    same_answer(student, reference, "sigmoid_derivative", np.array([float(rng.uniform(-3, 3))]),
                wrong=SIGMOID_MISTAKES)  # fmt: skip


@check("sigmoid_derivative", weight=0.5)
def test_sigmoid_derivative_integer_list(student: StudentProxy, reference: ModuleType) -> None:
    """A list of ints, [-2, 0, 3]: an array of three slopes."""
    same_answer(student, reference, "sigmoid_derivative", [-2, 0, 3], wrong=SIGMOID_MISTAKES)


# --- relu_derivative -------------------------------------------------------------------------


def same_relu(student: StudentProxy, reference: ModuleType, z: object) -> None:
    """relu_derivative's values, as floats (booleans or ints with the right values are told so);
    a number may give a float or a 0-d array."""
    same_floats(student, reference, "relu_derivative", z, wrong=RELU_MISTAKES)


@check("relu_derivative", weight=2)
def test_relu_derivative_zeros_and_small_values(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Seven values: exact zeros (the derivative is 0 there), values in (-1, 0) and (0, 1)."""
    same_relu(student, reference, relu_inputs(rng, 7))


@check("relu_derivative")
def test_relu_derivative_shapes(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A (3, 2) array holding a zero keeps its shape; a number (0.0 and a positive one) and a
    0-d array give a number or a 0-d array."""
    same_relu(student, reference, relu_inputs(rng, 6).reshape(3, 2))
    same_relu(student, reference, 0.0)
    same_relu(student, reference, float(rng.uniform(0.1, 0.9)))
    same_relu(student, reference, np.array(float(rng.uniform(0.1, 0.9))))


@check("relu_derivative", weight=0.5)
def test_relu_derivative_integer_input(student: StudentProxy, reference: ModuleType) -> None:
    """An int array [-3, 0, 2, 5]: the answer is a float array [0., 0., 1., 1.]."""
    same_relu(student, reference, np.array([-3, 0, 2, 5]))


# --- mlp_gradients ---------------------------------------------------------------------------


@check("mlp_gradients", weight=3)
def test_mlp_gradients_random_network(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """d = 3 inputs, k = 4 hidden units, m = 5 samples: every part against the reference."""
    same_gradients(student, reference, network(rng, 3, 4, 5), wrong=MLP_MISTAKES)


@check("mlp_gradients")
def test_mlp_gradients_square_first_layer(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """d = k = 3, where a transposed dW1 has the right shape but not the right values."""
    same_gradients(student, reference, network(rng, 3, 3, 4), wrong=MLP_MISTAKES)


@check("mlp_gradients", weight=3)
def test_mlp_gradients_match_finite_differences(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Small networks of several shapes (d, k, m), k = 1, m = 1 and d = 1 among them: every
    gradient against central differences of the given mlp_loss, not against the reference."""
    for d, k, m in ((2, 3, 5), (1, 1, 1), (3, 1, 2), (2, 4, 1), (1, 2, 3)):
        gradient_check(student, reference.mlp_loss, network(rng, d, k, m), wrong=MLP_MISTAKES)


@check("mlp_gradients")
def test_mlp_gradients_one_unit_one_sample(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """k = 1 (dW1 of shape (d, 1), db1 and dW2 of shape (1,)), then m = 1 and d = 1."""
    for d, k, m in ((3, 1, 4), (2, 3, 1), (1, 2, 2)):
        same_gradients(student, reference, network(rng, d, k, m), wrong=MLP_MISTAKES)


@check("mlp_gradients", weight=0.5)
def test_mlp_gradients_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """Every argument a list of ints (b2 an int)."""
    args = ([[1, 0], [0, -1], [1, 1]], [0, 1], [1, -1], 1, [[1, 0, 2], [0, 1, -1]], [1, 0])

    def judge(given: tuple) -> None:
        same_gradients(student, reference, given, wrong=MLP_MISTAKES)

    plain_inputs(judge, args, (*floats(*args[:3]), 1.0, *floats(*args[4:])))


@check("mlp_gradients", weight=0.5)
def test_mlp_gradients_leave_arguments_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """W1, b1, W2, X and y are the same after the call, and the gradients are right."""
    leaves_arguments_alone(student, reference, "mlp_gradients", network(rng, 2, 3, 4),
                           ("W1", "b1", "W2", "b2", "X", "y"), labels=("dW1", "db1", "dW2", "db2"),
                           wrong=MLP_MISTAKES)  # fmt: skip


# --- clip_by_norm ----------------------------------------------------------------------------


def same_clip(student: StudentProxy, reference: ModuleType, grad: object,
              max_norm: float) -> None:  # fmt: skip
    """clip_by_norm's array, naming the mistake."""
    same_answer(student, reference, "clip_by_norm", grad, max_norm, wrong=CLIP_MISTAKES)


@check("clip_by_norm", weight=2)
def test_clip_long_gradients(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Two gradients longer than max_norm (0.5 to 3): scaled to norm max_norm, same direction."""
    for _ in range(2):
        max_norm = float(rng.uniform(0.5, 3.0))
        same_clip(student, reference, long_gradient(rng, max_norm), max_norm)


@check("clip_by_norm")
def test_clip_short_gradient_unchanged(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A gradient of norm below max_norm comes back unchanged; then a long one is clipped."""
    max_norm = float(rng.uniform(2.0, 4.0))
    short = rng.normal(size=4)
    same_clip(student, reference, short * (0.6 * max_norm / np.linalg.norm(short)), max_norm)
    same_clip(student, reference, long_gradient(rng, max_norm, 4), max_norm)


@check("clip_by_norm")
def test_clip_norm_exactly_max_norm(student: StudentProxy, reference: ModuleType) -> None:
    """[3, 4] has norm 5 exactly: with max_norm 5 it is unchanged; [6, -8] with 5 is [3, -4]."""
    same_clip(student, reference, np.array([3.0, 4.0]), 5.0)
    same_clip(student, reference, np.array([6.0, -8.0]), 5.0)


@check("clip_by_norm")
def test_clip_zero_gradient(student: StudentProxy, reference: ModuleType) -> None:
    """A zero gradient stays zero (no 0 / 0), with max_norm 1 and with max_norm 0 (its norm 0 is
    not above 0); then [0, -9, 12] (norm 15) is clipped to norm 3."""
    calls = [(np.zeros(4), 1.0), (np.zeros(3), 0.0), (np.array([0.0, -9.0, 12.0]), 3.0)]
    same_answers(student, reference, "clip_by_norm", calls, wrong=CLIP_MISTAKES)


@check("clip_by_norm")
def test_clip_returns_a_float_copy(student: StudentProxy, reference: ModuleType) -> None:
    """An int array and a list below max_norm: a new float array, not grad itself."""
    for grad in (np.array([1, -2, 2]), [0.5, 0.5]):
        got = student.clip_by_norm(grad, 10.0)
        call = student.last_call
        require(same_value(got, reference.clip_by_norm(grad, 10.0), call))
        verdict = check_dtype(got, "f", call=call)
        if not verdict.ok:
            fail(f"{verdict.message} This looks like grad itself returned instead of a float "
                 "copy; return np.array(grad, dtype=float).")  # fmt: skip
    same_clip(student, reference, [2, -4, 4], 3)


@check("clip_by_norm", weight=0.5)
def test_clip_leaves_grad_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """grad is the same after clipping it (grad *= ... would change the caller's array)."""
    leaves_arguments_alone(student, reference, "clip_by_norm", (long_gradient(rng, 1.0), 1.0),
                           ("grad", "max_norm"), wrong=CLIP_MISTAKES)  # fmt: skip


# --- adagrad_step ----------------------------------------------------------------------------


@check("adagrad_step", weight=2)
def test_adagrad_four_steps(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Four steps from accum = 0 with lr between 0.05 and 0.5, each on the state returned by
    the step before: accum_new adds up every square."""
    same_steps(student, reference, "adagrad_step", rng.normal(size=3), (np.zeros(3),),
               gradients(rng, 4, 3), labels=ADAGRAD_PARTS, wrong=ADAGRAD_MISTAKES,
               lr=float(rng.uniform(0.05, 0.5)))  # fmt: skip


@check("adagrad_step")
def test_adagrad_tiny_and_large_gradients(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Gradients near 1e-9 (where eps = 1e-8 dominates the denominator), then near 1e6, from a
    state that already holds squares; default lr and eps."""
    accum = rng.uniform(1e-19, 1e-18, size=3)
    same_steps(student, reference, "adagrad_step", rng.normal(size=3), (accum,),
               [*gradients(rng, 2, 3, 1e-9), *gradients(rng, 2, 3, 1e6)],
               labels=ADAGRAD_PARTS, wrong=ADAGRAD_MISTAKES)  # fmt: skip


@check("adagrad_step")
def test_adagrad_large_eps(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """eps = 0.5 and lr = 0.2, given by keyword: eps changes the step visibly."""
    same_steps(student, reference, "adagrad_step", rng.normal(size=2),
               (rng.uniform(0.5, 2.0, size=2),), gradients(rng, 2, 2), labels=ADAGRAD_PARTS,
               wrong=ADAGRAD_MISTAKES, lr=0.2, eps=0.5)  # fmt: skip


@check("adagrad_step", weight=0.5)
def test_adagrad_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """x, accum and grad as lists of ints."""
    args = ([1, -2], [0, 4], [3, -1])

    def judge(given: tuple) -> None:
        same_tuple(student, reference, "adagrad_step", given, labels=ADAGRAD_PARTS,
                   wrong=ADAGRAD_MISTAKES)  # fmt: skip

    plain_inputs(judge, args, floats(*args))


@check("adagrad_step", weight=0.5)
def test_adagrad_leaves_arguments_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """x, accum and grad are the same after the call (accum += grad**2 would change accum)."""
    args = (rng.normal(size=3), rng.uniform(0.1, 1.0, size=3), rng.normal(size=3), 0.1)
    leaves_arguments_alone(
        student,
        reference,
        "adagrad_step",
        args,
        ("x", "accum", "grad"),
        labels=ADAGRAD_PARTS,
        wrong=ADAGRAD_MISTAKES,
    )


# --- rmsprop_step ----------------------------------------------------------------------------


@check("rmsprop_step", weight=2)
def test_rmsprop_four_steps(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Four steps from sq_avg = 0 with rho between 0.6 and 0.8 and lr between 0.01 and 0.1, each
    on the state returned by the step before."""
    same_steps(student, reference, "rmsprop_step", rng.normal(size=3), (np.zeros(3),),
               gradients(rng, 4, 3), labels=RMSPROP_PARTS, wrong=RMSPROP_MISTAKES,
               lr=float(rng.uniform(0.01, 0.1)), rho=float(rng.uniform(0.6, 0.8)))  # fmt: skip


@check("rmsprop_step")
def test_rmsprop_default_rates(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Three steps with the defaults (lr = 0.001, rho = 0.9) from a state holding squares."""
    same_steps(student, reference, "rmsprop_step", rng.normal(size=4),
               (rng.uniform(0.5, 2.0, size=4),), gradients(rng, 3, 4), labels=RMSPROP_PARTS,
               wrong=RMSPROP_MISTAKES)  # fmt: skip


@check("rmsprop_step")
def test_rmsprop_tiny_and_large_gradients(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Gradients near 1e-9 from sq_avg = 0 (eps dominates), then near 1e6."""
    same_steps(student, reference, "rmsprop_step", rng.normal(size=3), (np.zeros(3),),
               [*gradients(rng, 2, 3, 1e-9), *gradients(rng, 2, 3, 1e6)],
               labels=RMSPROP_PARTS, wrong=RMSPROP_MISTAKES, lr=0.01)  # fmt: skip


@check("rmsprop_step")
def test_rmsprop_large_eps(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """eps = 0.3, lr = 0.05 and rho = 0.7, given by keyword."""
    same_steps(student, reference, "rmsprop_step", rng.normal(size=2),
               (rng.uniform(0.5, 2.0, size=2),), gradients(rng, 2, 2), labels=RMSPROP_PARTS,
               wrong=RMSPROP_MISTAKES, lr=0.05, rho=0.7, eps=0.3)  # fmt: skip


@check("rmsprop_step", weight=0.5)
def test_rmsprop_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """x, sq_avg and grad as lists of ints, lr = 0.1."""
    args = ([1, -2], [1, 4], [3, -1], 0.1)

    def judge(given: tuple) -> None:
        same_tuple(student, reference, "rmsprop_step", given, labels=RMSPROP_PARTS,
                   wrong=RMSPROP_MISTAKES)  # fmt: skip

    plain_inputs(judge, args, (*floats(*args[:3]), 0.1))


@check("rmsprop_step", weight=0.5)
def test_rmsprop_leaves_arguments_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """x, sq_avg and grad are the same after the call (sq_avg *= rho would change sq_avg)."""
    args = (rng.normal(size=3), rng.uniform(0.1, 1.0, size=3), rng.normal(size=3), 0.05, 0.7)
    leaves_arguments_alone(
        student,
        reference,
        "rmsprop_step",
        args,
        ("x", "sq_avg", "grad"),
        labels=RMSPROP_PARTS,
        wrong=RMSPROP_MISTAKES,
    )


# --- adam_step -------------------------------------------------------------------------------


def adam_state(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """A state (m, v) as many steps leave it: m of both signs, v positive."""
    return rng.normal(size=n) * 0.5, rng.uniform(0.2, 2.0, size=n)


@check("adam_step", weight=2)
def test_adam_first_four_steps(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """t = 1, 2, 3, 4 from m = v = 0 with lr between 0.01 and 0.1, each step on the state the
    step before returned: the bias correction matters most here."""
    same_steps(student, reference, "adam_step", rng.normal(size=3), (np.zeros(3), np.zeros(3)),
               gradients(rng, 4, 3), labels=ADAM_PARTS, wrong=ADAM_MISTAKES, first_t=1,
               lr=float(rng.uniform(0.01, 0.1)))  # fmt: skip


@check("adam_step")
def test_adam_large_t(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """Three steps from t = 1000 (beta2 ** t is still about 0.37) and one at t = 10**6, where
    the bias correction is no longer visible; default rates."""
    x, (m, v) = rng.normal(size=3), adam_state(rng, 3)
    same_steps(
        student,
        reference,
        "adam_step",
        x,
        (m, v),
        gradients(rng, 3, 3),
        labels=ADAM_PARTS,
        wrong=ADAM_MISTAKES,
        first_t=int(rng.integers(1000, 1200)),
    )
    same_steps(student, reference, "adam_step", x, (m, v), gradients(rng, 1, 3),
               labels=ADAM_PARTS, wrong=ADAM_MISTAKES, first_t=10**6)  # fmt: skip


@check("adam_step")
def test_adam_tiny_and_large_gradients(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """From m = v = 0: two steps with gradients near 1e-10 (eps dominates), then two with
    gradients near 1e6."""
    same_steps(student, reference, "adam_step", rng.normal(size=3), (np.zeros(3), np.zeros(3)),
               [*gradients(rng, 2, 3, 1e-10), *gradients(rng, 2, 3, 1e6)], labels=ADAM_PARTS,
               wrong=ADAM_MISTAKES, first_t=1, lr=0.01)  # fmt: skip


@check("adam_step")
def test_adam_other_rates(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """beta1 = 0.7, beta2 = 0.95, eps = 0.2 and lr = 0.05 by keyword, three steps from t = 2."""
    same_steps(student, reference, "adam_step", rng.normal(size=2), adam_state(rng, 2),
               gradients(rng, 3, 2), labels=ADAM_PARTS, wrong=ADAM_MISTAKES, first_t=2,
               lr=0.05, beta1=0.7, beta2=0.95, eps=0.2)  # fmt: skip


@check("adam_step", weight=0.5)
def test_adam_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """x, m, v and grad as lists of ints at t = 3."""
    args = ([1, -2], [0, 1], [1, 2], [3, -1], 3)

    def judge(given: tuple) -> None:
        same_tuple(student, reference, "adam_step", given, labels=ADAM_PARTS, wrong=ADAM_MISTAKES)

    plain_inputs(judge, args, (*floats(*args[:4]), 3))


@check("adam_step", weight=0.5)
def test_adam_leaves_arguments_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """x, m, v and grad are the same after the call (m *= beta1 would change m)."""
    args = (rng.normal(size=3), *adam_state(rng, 3), rng.normal(size=3), 5, 0.05)
    leaves_arguments_alone(
        student,
        reference,
        "adam_step",
        args,
        ("x", "m", "v", "grad"),
        labels=ADAM_PARTS,
        wrong=ADAM_MISTAKES,
    )


# --- newton_step -----------------------------------------------------------------------------


@check("newton_step", weight=2)
def test_newton_non_symmetric_hessian(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A random non-symmetric invertible 3x3 H: x - solve(H, grad), not H @ grad or H.T."""
    args = (rng.normal(size=3), rng.normal(size=3), non_symmetric(rng, 3))
    same_answer(student, reference, "newton_step", *args, wrong=NEWTON_MISTAKES)


@check("newton_step")
def test_newton_two_dimensions(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """A 2x2 non-symmetric H with a negative entry, and a 1x1 H."""
    same_answer(student, reference, "newton_step", rng.normal(size=2), rng.normal(size=2),
                non_symmetric(rng, 2), wrong=NEWTON_MISTAKES)  # fmt: skip
    same_answer(student, reference, "newton_step", rng.normal(size=1), rng.normal(size=1),
                np.array([[float(rng.uniform(2.0, 5.0))]]), wrong=NEWTON_MISTAKES)  # fmt: skip


@check("newton_step", weight=0.5)
def test_newton_integer_lists(student: StudentProxy, reference: ModuleType) -> None:
    """x, grad and H as lists of ints: H = [[2, 1], [0, 4]]."""
    args = ([1, 1], [3, 5], [[2, 1], [0, 4]])

    def judge(given: tuple) -> None:
        same_answer(student, reference, "newton_step", *given, wrong=NEWTON_MISTAKES)

    plain_inputs(judge, args, floats(*args))


@check("newton_step", weight=0.5)
def test_newton_leaves_arguments_alone(
    student: StudentProxy, reference: ModuleType, rng: np.random.Generator
) -> None:
    """x, grad and H are the same after the call, and the step is right."""
    args = (rng.normal(size=3), rng.normal(size=3), non_symmetric(rng, 3))
    leaves_arguments_alone(
        student, reference, "newton_step", args, ("x", "grad", "H"), wrong=NEWTON_MISTAKES
    )
