"""E-learning: courses imported from files, enrolments, progress, quizzes and certificates."""
