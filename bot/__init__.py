"""The rules of complaint handling, by domain. Nothing here imports `handlers/` (the Slack edge),
and only the outbox's notifier and the team directory talk to Slack's Web API."""
