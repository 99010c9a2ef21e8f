"""Course folders: reading course.toml, lessons, quizzes and assets, checking them, rendering lessons."""
