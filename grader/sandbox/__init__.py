"""Runs untrusted submissions: a preloaded template (zygote) forks a contained worker for each.

The modules split by side. Worker side (they run inside the sandbox and import nothing from the rest
of `grader`, because only this folder is visible there): `wire`, `funcspec`, `containment`,
`hugepages`, `worker`, `zygote`. Grader side: `launcher` (starts the zygote, with bubblewrap where
available), `fontlist` (matplotlib's font list, built once and lent to templates), `pipes` (a
worker's three pipes, read with deadlines and an output cap), `plan` (the calls sent ahead) and
`runner` (one submission's calls, with time limits and worker replacement).
"""
