"""The cooperation cycle: partner parliaments' needs requests, and the action plans that follow activities."""
