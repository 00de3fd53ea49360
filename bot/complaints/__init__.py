"""Complaints: logging, triage, the clocks' services (update, snooze, resolve, reopen) and reading,
with the messages they send."""
