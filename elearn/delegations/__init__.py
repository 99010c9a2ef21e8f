"""Delegations and visits: calls for applications, visit agendas, travel and stay, invitation letters, costs.

Built on scheduling's activities, registrations and programmes; above scheduling and
below the feeds, so a participant's feed can carry their agenda items.
"""
