"""Notifications: citizens subscribe by email to a unit's news and get each new article once."""
