"""The course: course.toml, the check files it names, and the submissions handed in."""
