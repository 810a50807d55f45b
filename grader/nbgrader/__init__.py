"""gradkit inside an nbgrader course: building its source notebooks and grading its submissions.

- `build`: `grader nbgrader build`, the nbgrader course directory (config and source notebooks
  with solution and autograder test cells), from the same notebooks students get elsewhere.
- `solution`: the solution region of a solution cell, from the reference solution.
- `kernel`: what an autograder test cell calls when nbgrader's own `autograde` runs it.
- `feedback`: the per-exercise feedback text both paths show.
- `coursedir`: the instructor's nbgrader configuration, read the way nbgrader reads it.
- `autograded`: the graded notebooks nbgrader's formgrader and feedback read.
- `gradebook`: scores, feedback and lateness written through nbgrader's Gradebook API.
- `grade`: `grader grade --nbgrader`, which ties the above to gradkit's sandboxed grading.

`build`, `solution`, `kernel` and `feedback` do not import nbgrader: a course can be built, and
its cells run, wherever gradkit is installed.
"""
