"""Calendar feeds: iCalendar files built from activity sessions."""
