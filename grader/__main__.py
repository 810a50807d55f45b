"""Lets `python -m grader` behave exactly like the `grader` console script."""

from grader.cli import main

raise SystemExit(main())
