"""The student side: the release bundle, `grader check`, and the assignment notebooks."""
