"""Scheduling: programmes, activities and their sessions, registrations, attendance."""
