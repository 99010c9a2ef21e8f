"""Shadowing placements: a person of a partner parliament placed in a service of the host parliament for a
period, with a host tutor, a daily programme and a placement report from each side."""
