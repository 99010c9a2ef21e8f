"""Remote assistance between visits: a partner's question, assigned by the cooperation unit to an expert,
answered in a thread within a target time set by its urgency, and publishable (anonymised) to the library."""
