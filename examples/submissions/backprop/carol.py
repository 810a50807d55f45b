"""Assignment 4, backprop: the chain rule, backpropagation and the adaptive optimisers.

## The chain rule

A neural network is a long composition of simple functions, and its gradient comes from one
rule. For `h(x) = f(g(x))`, a small change `dx` changes the inner value by about `g'(x) * dx`,
and that change of the inner value changes the outer one by `f'` *at the inner value* times it:

    h'(x) = f'(g(x)) * g'(x)

For `h(x) = sin(x**2)`, with `f = sin` and `g(x) = x**2`, at `x = 1.5`: `g(1.5) = 2.25`, so
`h'(1.5) = cos(2.25) * 2 * 1.5 = -0.628 * 3 = -1.885`. The outer derivative is taken at
`g(x) = 2.25`, not at `x`: `cos(1.5) * 3 = 0.212` is a different (wrong) number. Through a
chain of n functions, the derivative is the product of the n local derivatives, each taken at
the value that flowed into its function.

## Activation functions and their derivatives

The **sigmoid** `s(z) = 1 / (1 + exp(-z))` squashes every number into (0, 1), and its derivative
can be written with its own value: `s'(z) = s(z) * (1 - s(z))`. It is largest at `z = 0`, where
`s = 1/2` and `s' = 1/4`, and falls towards 0 on both sides (`s'(2) = 0.105`, `s'(10) = 4.5e-5`).
The hyperbolic tangent has `tanh'(z) = 1 - tanh(z)**2`, at most 1. The **ReLU**
`max(0, z)` has derivative 1 where `z > 0` and 0 where `z < 0`; at `z = 0` it has no derivative,
and the convention (a subgradient) is 0.

Computing them well is part of the job. `1 / (1 + exp(-z))` overflows for `z = -1000`
(`exp(1000)` is infinite), which is why the given `sigmoid` is written with `exp(-|z|)`, never
larger than 1. And for `z = 40` the float `s` rounds to exactly 1.0, so `s * (1 - s)` gives 0
where the true value is `4.2e-18`: with `e = exp(-|z|)`, the same number is `e / (1 + e)**2`,
which stays accurate in the tails.

## Vanishing and exploding gradients

Stack n layers `a = sigmoid(w * a)` and differentiate the output with respect to the input: by
the chain rule the derivative is the product of the n factors `w_i * s'(z_i)`. With weights of
size at most 1, each factor is at most 1/4, so the gradient shrinks at least like `(1/4)**n`:
about `1e-3` through 5 layers, `9.5e-7` through 10 and `9.1e-13` through 20. The parameters of
the first layers then get almost no gradient and barely learn: the gradient **vanishes**. The
cure is in the factors: ReLU's derivative is exactly 1 wherever the unit is active, and
initialisations that keep each factor near 1 (Glorot, He) keep the product near 1 too.

The same product can also grow. When the factors are larger than 1 (large weights, or a
recurrent network multiplying by the same matrix at every time step), the gradient
**explodes**: `1.5**50 = 6.4e8`. One huge gradient step then throws the parameters far away,
and the loss jumps or becomes NaN.

## Clipping by the norm

The common remedy for exploding gradients is to cap the gradient's length. **Clipping by the
norm** rescales the whole vector when its norm exceeds a threshold `c`:

    if norm(g) > c:   g = g * c / norm(g)

It shortens the step and keeps its direction: `g = (3, 4)` (norm 5) clipped to `c = 1`
becomes `(0.6, 0.8)`, the same direction with norm 1, so the step still goes downhill the way
the gradient said. Clipping *each component* to `[-c, c]` instead (`np.clip(g, -c, c)`) gives
`(1, 1)`, which points another way: along 45 degrees instead of 53. A gradient whose norm is
at most `c`, zero included, is left as it is.

## Adaptive optimisers: one learning rate per coordinate

Assignment 3 showed the trouble with one learning rate: on an ill-conditioned loss, the rate
the steepest direction allows crawls along the flattest. The adaptive optimisers keep, for
every coordinate, a record of how large its gradients have been, and divide the step by it:
coordinates with large gradients take smaller steps, those with small gradients larger ones.
Their state (arrays of x's shape, zeros at the start) is what the caller passes back in at the
next step.

- **AdaGrad** keeps `accum`, the running *sum* of squared gradients, `accum = accum + g**2`,
  and steps `lr * g / (sqrt(accum) + eps)`. The sum only grows, so with gradients of steady
  size each coordinate's effective rate shrinks like `1 / sqrt(t)`: good for rare features,
  but it may stop too early.
- **RMSProp** keeps `sq_avg`, an exponentially *weighted moving average* of squared gradients,
  `sq = rho * sq + (1 - rho) * g**2`: the old average keeps weight `rho` (0.9), the new square
  gets `1 - rho`. Old gradients are forgotten, so the rate does not decay to 0.
- **Adam** keeps two moving averages, the **first moment** `m` (the mean of the gradients: a
  momentum) and the **second moment** `v` (the mean of their squares, as RMSProp), and steps
  `lr * m_hat / (sqrt(v_hat) + eps)` with the bias-corrected `m_hat`, `v_hat` below. The step
  number `t`, counted from 1, is part of its state.

In all three, `eps` (1e-8) only keeps the division finite where the record is still 0.

## Adam's bias correction

`m` and `v` start at 0, so in the first steps they are mostly that zero: after one step with
gradient g, `m = (1 - beta1) * g = 0.1 * g` and `v = (1 - beta2) * g**2 = 0.001 * g**2`.
Both are biased towards 0, and by different amounts: the uncorrected ratio
`m / sqrt(v) = 0.1 / sqrt(0.001) = 3.16` makes the first step more than three times as long as
intended (for a constant gradient, about 6.5 times by step 10). Dividing by `1 - beta ** t`
undoes exactly this bias:

    m_hat = m / (1 - beta1 ** t)        v_hat = v / (1 - beta2 ** t)

At `t = 1` this gives `m_hat = g` and `v_hat = g**2`, so the first step is `lr` in every
coordinate whatever the gradient's scale. For large t, `beta ** t` tends to 0 and the
correction fades away. Counting steps from 0 would divide by `1 - beta ** 0 = 0`.

## Newton's method

Near x, a function is close to its second-order Taylor model
`f(x + d) = f(x) + grad @ d + d @ H @ d / 2`, whose minimum is where its gradient
`grad + H @ d` is zero. So the step is found by solving the linear system `H s = grad` for s,
and the move is against it (d = -s):

    x_new = x - solve(H, grad)

Solve the system (`np.linalg.solve`); do not multiply by H (`x - H @ grad` is a different,
wrong step) and do not form the inverse (slower and less accurate). On a quadratic the model is
exact, so Newton's method lands on the minimum in one step, however ill-conditioned: for
`f(x) = c * x**2 / 2` the step is `x - (c * x) / c = 0`. The price is the n-by-n Hessian and a
solve costing about n**3 operations, far too much for a network with millions of parameters;
the adaptive optimisers are cheap per-coordinate stand-ins for that curvature information.

## Backpropagation through one hidden layer

The network of this assignment has m samples of d inputs, one hidden layer of k tanh units and
one output. Its parameters are `W1` (d, k), `b1` (k,), `W2` (k,) and the float `b2`; the inputs
`X` are (m, d) and the targets `y` (m,). The forward pass, with each intermediate's shape:

    Z = X @ W1 + b1            (m, k)   pre-activations
    A = tanh(Z)                (m, k)   hidden activations
    p = A @ W2 + b2            (m,)     predictions
    L = mean((p - y) ** 2)     float    the loss (`mlp_loss`)

**Backpropagation** applies the chain rule from the loss back to each parameter, reusing each
step's result for the next, so that all the gradients together cost about as much as one more
forward pass:

    dp  = 2 * (p - y) / m      (m,)     the 2 from the square, the 1 / m from the mean
    db2 = sum(dp)              float    p depends on b2 with derivative 1 for every sample
    dW2 = A.T @ dp             (k,)
    dA  = outer(dp, W2)        (m, k)
    dZ  = dA * (1 - A ** 2)    (m, k)   times tanh'(Z), elementwise
    dW1 = X.T @ dZ             (d, k)
    db1 = dZ.sum(axis=0)       (k,)

Each gradient has its parameter's shape, which is the surest guide: the gradient of a matrix
product with respect to one factor multiplies by the *transpose* of the other (`X.T @ dZ`, not
`X @ dZ`), and a bias shared by all samples gets the *sum* over samples. Forgetting the
activation's derivative, using the sigmoid's `s * (1 - s)` instead of tanh's, or summing where
the loss takes the mean (no `/ m`) are the usual mistakes; a finite-difference gradient check
of `mlp_loss` (assignment 2's `gradient_check`) finds every one of them.

## What to implement

Arrays may arrive as lists or numpy arrays of any real dtype: convert them to float arrays
(`np.asarray(x, dtype=float)`). Return new arrays of exactly the stated shape, floats, or tuples
as stated, and never modify an argument in place: the optimisers' state arrays (`accum`,
`sq_avg`, `m`, `v`) belong to the caller, so return new ones rather than updating them with
`+=`. Here `df`, `g` and `dg` map a float to a float.
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def sigmoid(z: ArrayLike) -> float | np.ndarray:
    """Return the logistic sigmoid 1 / (1 + exp(-z)), elementwise (given, not graded).

    Written with `exp(-|z|)`, which never exceeds 1, so that no z overflows: for z >= 0 it is
    `1 / (1 + exp(-z))`, for z < 0 the same number as `exp(z) / (1 + exp(z))`.

    Arguments:
        z: a number, or an array of numbers of any shape.

    Returns:
        A float for a number; a float array of z's shape for an array, every value in [0, 1].

    Worked example:
        At 0 the sigmoid is 1/2; at -1000 it is 0 without an overflow warning.

        >>> sigmoid(0.0), sigmoid(-1000.0)
        (0.5, 0.0)
        >>> sigmoid(np.array([-2.0, 0.0, 2.0]))
        array([0.11920292, 0.5       , 0.88079708])
    """
    z = np.asarray(z, dtype=float)
    small = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    value = np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))
    return float(value) if value.ndim == 0 else value


def mlp_loss(
    W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: float, X: ArrayLike, y: ArrayLike
) -> float:
    """Return the mean squared error of the one-hidden-layer tanh network (given, not graded).

    The loss is `mean((tanh(X @ W1 + b1) @ W2 + b2 - y) ** 2)`; `mlp_gradients` differentiates it.

    Arguments:
        W1: the hidden layer's weights, shape (d, k).
        b1: the hidden layer's biases, shape (k,).
        W2: the output weights, shape (k,).
        b2: the output bias, a float.
        X: the inputs, one sample per row, shape (m, d).
        y: the targets, shape (m,).

    Returns:
        A float, the mean over the m samples of the squared prediction error.

    Worked example:
        One sample, one input, one hidden unit with weight 0: the hidden unit outputs
        tanh(0) = 0, the prediction is b2 = 0.5, and the loss (0.5 - 0)**2 = 0.25.

        >>> mlp_loss([[0.0]], [0.0], [1.0], 0.5, [[1.0]], [0.0])
        0.25
    """
    hidden = np.tanh(np.asarray(X, dtype=float) @ np.asarray(W1, dtype=float)
                     + np.asarray(b1, dtype=float))  # fmt: skip
    prediction = hidden @ np.asarray(W2, dtype=float) + float(b2)
    return float(np.mean((prediction - np.asarray(y, dtype=float)) ** 2))


def chain_rule_derivative(
    df: Callable[[float], float], g: Callable[[float], float], dg: Callable[[float], float],
    x: float,
) -> float:  # fmt: skip
    """Return the derivative of the composition f(g(x)) at x, by the chain rule.

    The outer derivative is taken at the inner value: `df(g(x)) * dg(x)`. Evaluating `df` at x
    itself, `df(x) * dg(x)`, is a different number wherever g(x) differs from x.

    Arguments:
        df: the derivative of the outer function f, from a float to a float.
        g: the inner function, from a float to a float.
        dg: the derivative of g, from a float to a float.
        x: the point, a number.

    Returns:
        A float, `df(g(x)) * dg(x)`.

    Worked example:
        For sin(x**2) at x = 1.5: g(1.5) = 2.25, so the derivative is cos(2.25) * 3 = -1.8845
        (cos(1.5) * 3 = 0.2122 would be the outer derivative taken at x).

        >>> round(chain_rule_derivative(np.cos, lambda x: x**2, lambda x: 2 * x, 1.5), 4)
        -1.8845
    """
    raise NotImplementedError("Return df(g(x)) * dg(x): the outer derivative at g(x), not at x.")


def sigmoid_derivative(z: ArrayLike) -> float | np.ndarray:
    """Return the sigmoid's derivative s * (1 - s), with s = sigmoid(z), elementwise.

    Its largest value is 1/4, at z = 0, which is why deep stacks of sigmoids make gradients
    vanish. Use the given `sigmoid` (never `1 / (1 + np.exp(-z))`, which overflows for
    z = -1000). In the far tails s rounds to 1.0 or 0.0 and `s * (1 - s)` gives 0; the same
    number written as `e / (1 + e)**2` with `e = np.exp(-np.abs(z))` stays accurate there.

    Arguments:
        z: a number, or an array of numbers of any shape.

    Returns:
        A float for a number; a float array of z's shape for an array; finite for every
        finite z (z = 1000 and z = -1000 included), every value in [0, 1/4].

    Worked example:
        At 0, s = 1/2 and s' = 1/2 * 1/2 = 0.25; at ±2, s' = 0.105 on both sides.

        >>> sigmoid_derivative(0.0)
        0.25
        >>> sigmoid_derivative(np.array([-2.0, 0.0, 2.0]))
        array([0.10499359, 0.25      , 0.10499359])
        >>> sigmoid_derivative(-1000.0)
        0.0
    """
    raise NotImplementedError(
        "Return s * (1 - s) with s = sigmoid(z): a float for a number, an array for an array."
    )


def relu_derivative(z: ArrayLike) -> np.ndarray:
    """Return the derivative of the ReLU max(0, z), elementwise, as a float array.

    The ReLU has slope 1 where z > 0 and slope 0 where z < 0. At z = 0 it has no derivative;
    the convention is the subgradient 0. Return floats (1.0 and 0.0), not booleans.

    Arguments:
        z: a number, or an array of numbers of any shape.

    Returns:
        A float array of z's shape: 1.0 where z > 0, 0.0 elsewhere (z = 0 included).

    Worked example:
        >>> relu_derivative([-1.5, 0.0, 2.0])
        array([0., 0., 1.])
        >>> relu_derivative(np.array([[3, -3], [0, 1]]))
        array([[1., 0.],
               [0., 1.]])
    """
    raise NotImplementedError("Return 1.0 where z > 0 and 0.0 elsewhere, as a float array.")


def mlp_gradients(
    W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: float, X: ArrayLike, y: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Return the gradients of `mlp_loss` with respect to W1, b1, W2 and b2, by backpropagation.

    Run the forward pass, keeping its intermediates (`Z = X @ W1 + b1`, `A = tanh(Z)`,
    `p = A @ W2 + b2`), then go backwards, as in the module's text:
    `dp = 2 * (p - y) / m`, `db2 = sum(dp)`, `dW2 = A.T @ dp`,
    `dZ = outer(dp, W2) * (1 - A**2)`, `dW1 = X.T @ dZ`, `db1 = dZ.sum(axis=0)`.
    The loss is a mean, so the `1 / m` belongs in dp; tanh's derivative is `1 - A**2` (not the
    sigmoid's); each gradient has its parameter's shape. It must hold for k = 1 hidden unit
    and for m = 1 sample too, so keep the arrays two-dimensional where the shapes say so.

    Arguments:
        W1: the hidden layer's weights, shape (d, k).
        b1: the hidden layer's biases, shape (k,).
        W2: the output weights, shape (k,).
        b2: the output bias, a float.
        X: the inputs, one sample per row, shape (m, d).
        y: the targets, shape (m,).

    Returns:
        A tuple `(dW1, db1, dW2, db2)`: float arrays of shapes (d, k), (k,) and (k,), and a
        float, the partial derivatives of `mlp_loss(W1, b1, W2, b2, X, y)`.

    Worked example:
        The network of `mlp_loss`'s example: Z = 0, A = 0, p = 0.5, so dp = 2 * 0.5 / 1 = 1 and
        db2 = 1; dW2 = A * dp = 0; dZ = 1 * W2 * (1 - 0**2) = 1, so dW1 = X * dZ = 1, db1 = 1.

        >>> mlp_gradients([[0.0]], [0.0], [1.0], 0.5, [[1.0]], [0.0])
        (array([[1.]]), array([1.]), array([0.]), 1.0)

        The shapes for d = 2 inputs, k = 3 hidden units and m = 4 samples:

        >>> grads = mlp_gradients(np.zeros((2, 3)), np.zeros(3), np.ones(3), 0.0,
        ...                       np.ones((4, 2)), np.zeros(4))
        >>> [np.shape(grad) for grad in grads]
        [(2, 3), (3,), (3,), ()]
    """
    raise NotImplementedError(
        "Return the tuple (dW1, db1, dW2, db2): run the forward pass, then apply the chain rule "
        "backwards from dp = 2 * (p - y) / m."
    )


def clip_by_norm(grad: ArrayLike, max_norm: float) -> np.ndarray:
    """Return the gradient rescaled to length max_norm when it is longer, keeping its direction.

    When `norm(grad) > max_norm`, return `grad * max_norm / norm(grad)`: the same direction,
    norm exactly max_norm. Otherwise return a copy of grad unchanged (a zero gradient
    included: there is nothing to divide by and nothing to clip). Clipping each component
    with `np.clip(grad, -max_norm, max_norm)` is not the same: it turns the direction.

    Arguments:
        grad: the gradient, an array of any shape (the norm is over all its entries).
        max_norm: the largest norm allowed, a positive number.

    Returns:
        A new float array of grad's shape.

    Worked example:
        (3, 4) has norm 5: clipped to 1 it becomes (3, 4) / 5 = (0.6, 0.8); with a limit of 10
        it is returned as it is.

        >>> clip_by_norm([3.0, 4.0], 1.0)
        array([0.6, 0.8])
        >>> clip_by_norm([3.0, 4.0], 10.0)
        array([3., 4.])
    """
    raise NotImplementedError(
        "Return grad * max_norm / norm(grad) when norm(grad) > max_norm, else a copy of grad."
    )


def adagrad_step(
    x: ArrayLike, accum: ArrayLike, grad: ArrayLike, lr: float = 0.01, eps: float = 1e-8
) -> tuple[np.ndarray, np.ndarray]:
    """Take one AdaGrad step: return the new point and the new sum of squared gradients.

    AdaGrad's state `accum` is the running sum of every squared gradient so far, per
    coordinate: `accum_new = accum + grad**2`, then `x_new = x - lr * grad / (sqrt(accum_new) +
    eps)`. The new gradient counts in the step it makes. Since the sum only grows, a coordinate
    that has seen large gradients takes ever smaller steps.

    Arguments:
        x: the current point, shape (n,).
        accum: the sum of the squared gradients of the earlier steps, shape (n,) (zeros at the
            start).
        grad: the gradient of the loss at x, shape (n,).
        lr: the learning rate, a positive float.
        eps: a small positive number that keeps the division finite.

    Returns:
        A tuple `(x_new, accum_new)` of two new float arrays of shape (n,).

    Worked example:
        From accum = 0, the first step is lr * grad / |grad| = lr in each coordinate, whatever
        the gradient's size: with gradient (3, 0.5) and lr = 0.1 both coordinates move by 0.1,
        and accum becomes (9, 0.25).

        >>> adagrad_step([1.0, 1.0], [0.0, 0.0], [3.0, 0.5], lr=0.1)
        (array([0.9, 0.9]), array([9.  , 0.25]))

        Three steps with the same gradient 1: accum counts 1, 2, 3 and the steps shrink,
        0.1, 0.1 / sqrt(2), 0.1 / sqrt(3).

        >>> x, accum = [1.0], [0.0]
        >>> for _ in range(3):
        ...     x, accum = adagrad_step(x, accum, [1.0], lr=0.1)
        >>> x, accum
        (array([0.7715543]), array([3.]))
    """
    raise NotImplementedError(
        "Return the tuple (x_new, accum_new) with accum_new = accum + grad ** 2 and "
        "x_new = x - lr * grad / (sqrt(accum_new) + eps)."
    )


def rmsprop_step(
    x: ArrayLike, sq_avg: ArrayLike, grad: ArrayLike, lr: float = 0.001, rho: float = 0.9,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Take one RMSProp step: return the new point and the new average of squared gradients.

    RMSProp's state `sq_avg` is a moving average of squared gradients, per coordinate, which
    forgets old gradients: `sq_new = rho * sq_avg + (1 - rho) * grad**2` (the old average keeps
    the large weight rho, the new square gets 1 - rho), then
    `x_new = x - lr * grad / (sqrt(sq_new) + eps)`.

    Arguments:
        x: the current point, shape (n,).
        sq_avg: the moving average of squared gradients so far, shape (n,) (zeros at the start).
        grad: the gradient of the loss at x, shape (n,).
        lr: the learning rate, a positive float.
        rho: how much of the old average to keep, between 0 and 1.
        eps: a small positive number that keeps the division finite.

    Returns:
        A tuple `(x_new, sq_new)` of two new float arrays of shape (n,).

    Worked example:
        With gradient 2 from sq_avg = 0: sq_new = 0.9 * 0 + 0.1 * 4 = 0.4 and, with lr = 0.01,
        x moves by 0.01 * 2 / sqrt(0.4) = 0.0316.

        >>> rmsprop_step([1.0], [0.0], [2.0], lr=0.01)
        (array([0.96837722]), array([0.4]))
    """
    raise NotImplementedError(
        "Return the tuple (x_new, sq_new) with sq_new = rho * sq_avg + (1 - rho) * grad ** 2 "
        "and x_new = x - lr * grad / (sqrt(sq_new) + eps)."
    )


def adam_step(
    x: ArrayLike, m: ArrayLike, v: ArrayLike, grad: ArrayLike, t: int, lr: float = 0.001,
    beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Take Adam's step number t: return the new point and the new first and second moments.

    Update the moving averages of the gradient and of its square,
    `m_new = beta1 * m + (1 - beta1) * grad` and `v_new = beta2 * v + (1 - beta2) * grad**2`;
    correct their bias towards their zero start, `m_hat = m_new / (1 - beta1 ** t)` and
    `v_hat = v_new / (1 - beta2 ** t)`; and step `x_new = x - lr * m_hat / (sqrt(v_hat) + eps)`.
    Return `m_new` and `v_new`, not the corrected ones: the caller passes them back in, with
    t + 1, at the next step. Steps are counted from t = 1.

    Arguments:
        x: the current point, shape (n,).
        m: the first moment (moving average of gradients) so far, shape (n,) (zeros at first).
        v: the second moment (moving average of squared gradients), shape (n,) (zeros at
            first).
        grad: the gradient of the loss at x, shape (n,).
        t: the number of this step, an int, 1 for the first.
        lr: the learning rate, a positive float.
        beta1: how much of the old first moment to keep, between 0 and 1.
        beta2: how much of the old second moment to keep, between 0 and 1.
        eps: a small positive number that keeps the division finite.

    Returns:
        A tuple `(x_new, m_new, v_new)` of three new float arrays of shape (n,).

    Worked example:
        At t = 1 the correction gives m_hat = grad and v_hat = grad**2, so the first step is lr
        in every coordinate, for a gradient of 100 as for one of -0.5: with lr = 0.1, x moves
        from (1, 1) to (0.9, 1.1). m_new = 0.1 * grad and v_new = 0.001 * grad**2.

        >>> adam_step([1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [100.0, -0.5], 1, lr=0.1)
        (array([0.9, 1.1]), array([10.  , -0.05]), array([1.0e+01, 2.5e-04]))
    """
    raise NotImplementedError(
        "Return the tuple (x_new, m_new, v_new), with x_new = x - lr * m_hat / (sqrt(v_hat) + "
        "eps) and the bias-corrected m_hat = m_new / (1 - beta1 ** t), v_hat likewise."
    )


def newton_step(x: ArrayLike, grad: ArrayLike, H: ArrayLike) -> np.ndarray:
    """Take one step of Newton's method: return x - solve(H, grad).

    Solve the linear system `H @ s = grad` for s (`np.linalg.solve(H, grad)`) and move against
    it, `x_new = x - s`: that lands on the minimum of the local quadratic model. Multiplying,
    `x - H @ grad`, is a different step. On a quadratic function one Newton step reaches the
    minimum.

    Arguments:
        x: the current point, shape (n,).
        grad: the gradient of the loss at x, shape (n,).
        H: the Hessian of the loss at x, an invertible matrix of shape (n, n).

    Returns:
        A new float array of shape (n,), `x - solve(H, grad)`.

    Worked example:
        f(x) = x[0]**2 + 2 * x[1]**2 has gradient (2 * x[0], 4 * x[1]) and Hessian
        diag(2, 4). From (1, 1) the gradient is (2, 4), the solve gives (1, 1), and the step
        lands on the minimum (0, 0); `x - H @ grad` would give (-3, -15).

        >>> newton_step([1.0, 1.0], [2.0, 4.0], [[2.0, 0.0], [0.0, 4.0]])
        array([0., 0.])
    """
    raise NotImplementedError(
        "Return x - np.linalg.solve(H, grad): solve the system H d = grad, do not multiply."
    )
