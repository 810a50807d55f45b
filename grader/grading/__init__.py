"""Grading: submissions x checks -> results, in pytest sessions over the sandbox.

The order of a run: `run` deals submissions to `session` processes; each runs pytest with
`plugin`, whose `student` fixture is a `proxy` into the sandbox and whose `reference` is the
solution (`reference_memo`); `results` are the records that reports read.
"""
