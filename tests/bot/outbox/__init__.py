"""The outbox: claiming, sending, retrying and editing recorded messages."""
