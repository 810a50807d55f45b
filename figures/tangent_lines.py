"""**The worked example, drawn.** The curve is `f(x) = x**2` on `[-1, 1]`; each dashed line is its
tangent at `x = -0.5`, `0` and `0.5`, with slope `f'(x) = 2 * x` (-1, 0 and 1). Read the graph
from left to right: the slope is negative where the parabola goes down, zero at the minimum and
positive where it goes up. Close to its point, each tangent line is a good estimate of `f`.
"""

# The worked example: f(x) = x**2 and its tangent lines, whose slopes are f'(x) = 2 * x.
import matplotlib.pyplot as plt
import numpy as np

xs = np.linspace(-1.0, 1.0, 201)
figure, axes = plt.subplots(figsize=(6, 4))
axes.plot(xs, xs**2, color="black", linewidth=2, label="f(x) = x**2")
for x0 in (-0.5, 0.0, 0.5):
    slope = 2 * x0
    axes.plot(xs, x0**2 + slope * (xs - x0), "--", label=f"tangent at x = {x0:g}, slope {slope:g}")
    axes.plot([x0], [x0**2], "o", color="black")
axes.set(xlim=(-1, 1), ylim=(-0.6, 1.1), xlabel="x", ylabel="f(x)")
axes.set_title("f(x) = x**2 and its tangent lines")
axes.axhline(0.0, color="grey", linewidth=0.5)
axes.legend(loc="upper center")
plt.show()
