"""Outgoing mail: the outbox, its sender, and the administrators' view of it."""
