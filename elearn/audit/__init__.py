"""Audit log: who read or changed sensitive data, when, from where, and about whom."""
