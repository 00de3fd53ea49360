"""The weekly digest: its schedule, counts (aggregated in storage/reports.py), text and chart (service.py),
its Slack message (messages.py), and its recording for the outbox under the week's keys (recording.py)."""
