"""**Five optimisers on one ill-conditioned valley.** Each panel starts at the same point on
`f(x, y) = x**2 / 4 + 12.5 * y**2`, whose curvature is 50 times larger along y than along x,
and takes 50 steps. Gradient descent must keep its learning rate below `2 / 25` for the steep
direction, so it zig-zags across the valley and crawls along it; momentum builds up speed along
the valley. AdaGrad, RMSProp and Adam divide each coordinate's step by the size of its own
gradients, so both coordinates move at a similar pace; AdaGrad's steps shrink as its sum grows,
Adam's first steps are about `lr` long thanks to its bias correction. (The valley's axes are the
coordinate axes, where per-coordinate scaling helps most.) The code below is its own: it does
not call your functions.
"""

# Gradient descent, momentum, AdaGrad, RMSProp and Adam, each written out, on one valley.
import matplotlib.pyplot as plt
import numpy as np

curvatures = np.array([0.5, 25.0])  # f(x) = sum(curvatures * x**2) / 2: Hessian diag(0.5, 25)
start, n_steps, eps = np.array([-4.5, 1.0]), 50, 1e-8


def valley(x):
    """The function's value at each point of x (its last axis holds the two coordinates)."""
    return 0.5 * np.sum(curvatures * np.asarray(x) ** 2, axis=-1)


def gd(x, state, g, t, lr=0.075):
    """Plain gradient descent: no state."""
    return x - lr * g, state


def momentum(x, velocity, g, t, lr=0.015, beta=0.9):
    """Momentum: the velocity is a decaying sum of the gradients."""
    velocity = beta * velocity + g
    return x - lr * velocity, velocity


def adagrad(x, accum, g, t, lr=0.8):
    """AdaGrad: the state is the sum of every squared gradient so far."""
    accum = accum + g**2
    return x - lr * g / (np.sqrt(accum) + eps), accum


def rmsprop(x, sq, g, t, lr=0.15, rho=0.9):
    """RMSProp: the state is a moving average of the squared gradients."""
    sq = rho * sq + (1 - rho) * g**2
    return x - lr * g / (np.sqrt(sq) + eps), sq


def adam(x, moments, g, t, lr=0.2, beta1=0.9, beta2=0.999):
    """Adam: the state is the two moments; t counts the steps from 1."""
    m, v = moments
    m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return x - lr * m_hat / (np.sqrt(v_hat) + eps), (m, v)


def trajectory(step, state):
    """The iterates of one optimiser from `start`, steps counted from t = 1."""
    points = [start]
    for t in range(1, n_steps + 1):
        x, state = step(points[-1], state, curvatures * points[-1], t)
        points.append(x)
    return np.array(points)


zero = np.zeros(2)
optimisers = [
    ("gradient descent, lr 0.075", gd, None),
    ("momentum, lr 0.015, beta 0.9", momentum, zero),
    ("AdaGrad, lr 0.8", adagrad, zero),
    ("RMSProp, lr 0.15, rho 0.9", rmsprop, zero),
    ("Adam, lr 0.2", adam, (zero, zero)),
]
grid_x, grid_y = np.meshgrid(np.linspace(-5.0, 1.5, 131), np.linspace(-1.5, 1.5, 61))
heights = valley(np.stack([grid_x, grid_y], axis=-1))
figure, panels = plt.subplots(
    1, len(optimisers), figsize=(17, 3.6), sharey=True, layout="constrained"
)
for axes, (name, step, state) in zip(panels, optimisers, strict=True):
    path = trajectory(step, state)
    axes.contour(grid_x, grid_y, heights, levels=np.geomspace(0.05, 30.0, 10), colors="lightgrey")
    axes.plot(path[:, 0], path[:, 1], ".-", color="tab:blue", linewidth=1, markersize=3)
    axes.plot([0.0], [0.0], "*", color="black", markersize=10)
    axes.set_title(f"{name}\nf after {n_steps} steps: {valley(path[-1]):.2g}", fontsize=10)
    axes.set(xlabel="x", xlim=(-5.0, 1.5), ylim=(-1.5, 1.5))
panels[0].set_ylabel("y")
plt.show()
