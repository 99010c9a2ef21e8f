"""Pages that belong to no feature: home, dashboard, language choice, errors."""
