"""People and parliaments: accounts, sign-in, profiles, and their administration."""
