"""**Why sigmoid gradients vanish, drawn.** Left: the sigmoid `s(z)` and its derivative
`s'(z) = s(z) * (1 - s(z))`, which is never more than 1/4 (at `z = 0`). Right, on a log scale:
how much of the gradient survives the chain rule through 1 to 20 sigmoid layers, with every
weight 1. Even in the best case, every pre-activation at 0, each layer multiplies the gradient
by 1/4, so 20 layers leave `0.25**20 = 9e-13` of it; with pre-activations drawn at random the
product of the derivatives falls faster still. ReLU's derivative is 1 wherever the unit is
active, so its product stays at 1.
"""

# The sigmoid, its derivative, and the product of the derivatives through n layers.
import matplotlib.pyplot as plt
import numpy as np

zs = np.linspace(-6.0, 6.0, 241)
s = 1.0 / (1.0 + np.exp(-zs))
layers = np.arange(1, 21)
pre_activations = np.random.default_rng(0).normal(0.0, 2.0, size=20)  # one draw, 20 layers
s_random = 1.0 / (1.0 + np.exp(-pre_activations))
random_product = np.cumprod(s_random * (1.0 - s_random))

figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
left.plot(zs, s, color="black", linewidth=2, label="sigmoid s(z)")
left.plot(zs, s * (1.0 - s), color="tab:red", linewidth=2, label="s'(z) = s(z) (1 - s(z))")
left.axhline(0.25, color="tab:red", linestyle=":", linewidth=1, label="1/4, the largest s'")
left.set(xlabel="z", ylim=(-0.05, 1.05), title="The sigmoid and its derivative")
left.legend(loc="upper left")

right.semilogy(layers, 0.25**layers, "o-", color="tab:red", label="0.25**n: every z = 0")
right.semilogy(layers, random_product, "s-", color="tab:purple",
               label="product of s'(z) at random z")  # fmt: skip
right.semilogy(layers, np.ones_like(layers, dtype=float), "--", color="tab:green",
               label="ReLU, every unit active: 1")  # fmt: skip
right.set(xlabel="number of layers n", ylabel="gradient scale (log)", xticks=[1, 5, 10, 15, 20])
right.set_title("What reaches the first layer")
right.legend(loc="lower left")
plt.show()
