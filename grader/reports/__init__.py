"""Reports on a GradingResult: grades.json and grades.csv (`grades`), the console table."""
