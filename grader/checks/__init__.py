"""The checks: pytest test functions graded by `grader.plugin`.

`public/<assignment>.py` holds the checks students also get, to check themselves;
`hidden/<assignment>.py` holds those only the grader runs. Both use the `student`, `reference` and
`rng` fixtures.
"""
