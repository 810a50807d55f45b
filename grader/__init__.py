"""gradkit's grader: runs hidden pytest checks against untrusted submissions in a sandbox."""

__version__ = "0.1.0"
