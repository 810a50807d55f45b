"""Known wrong formulas and per-assignment helpers of the checks."""
