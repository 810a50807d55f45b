"""`grader init DIR`: a new course folder that works out of the box."""

from __future__ import annotations

import argparse


def add_init_command(commands: argparse._SubParsersAction) -> None:
    """`init DIR`: write a new course folder with one small assignment."""
