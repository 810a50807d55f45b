"""Grades where instructors keep them: one assignment's grades.json as a file an LMS imports.

`canvas` fills Canvas's own gradebook export, `moodle` fills Moodle's grading worksheet, each
returned with the same columns, rows, delimiter and byte-order mark, so that it imports as the
LMS expects; `plain` is a CSV of student, points, max points and late penalty for anything else.
Rows are matched to gradkit's students by `grader.reports.exports.roster`.
"""
