"""The shared library: documents, model texts, guides, published answers and seminar materials, searched in
full text (SQLite FTS5 or PostgreSQL text search behind one query function), each open to the public, the
network, one parliament or one mentoring pair."""
