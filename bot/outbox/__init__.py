"""The outbox: every message recorded under its dedupe key, then claimed, sent once and retried;
the notifier is the one sender to Slack's Web API."""
