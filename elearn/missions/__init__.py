"""Missions and experts: the roster of the assisting parliament's expertise, the staffing of missions, their
terms of reference, and the mission reports whose recommendations lead to requests, commitments and
programmes. A mission is an activity of a mission modality (scheduling.models.MISSION_MODALITIES)."""
