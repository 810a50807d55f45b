"""Pure functions that judge answers: no I/O, and no student code ever runs here.

- `values`: the plain data answers arrive as, and how it is shown to students.
- `compare`: type, shape, then values anchored on the reference (`Verdict`).
- `finite_difference`: tolerances from a method's own error, convergence order.
- `symbolic`: a whitelist parser for symbolic answers, and equivalence under a time budget.
- `misconceptions`: which known wrong formula, or which simple relation, a wrong answer matches.
"""
