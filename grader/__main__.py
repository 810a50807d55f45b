"""Lets `python -m grader` behave exactly like the `grader` console script."""

from grader.cli.main import console_main

raise SystemExit(console_main())
