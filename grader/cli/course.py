"""`init` and `validate`: the commands of a course's author."""

from __future__ import annotations

import argparse


def add_course_commands(commands: argparse._SubParsersAction) -> None:
    """`init DIR` writes a new course folder; `validate` runs a course's own test suite."""
