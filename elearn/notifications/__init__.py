"""Notifications: calendar invitations in mail, reminders, the weekly digest and each person's choices."""
