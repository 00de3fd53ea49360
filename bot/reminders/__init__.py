"""Reminders: the pure policy of what is due when, the sweep that records what is due, and the
scheduler that runs it."""
