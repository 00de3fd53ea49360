"""The weekly digest: its schedule, its counts (aggregated in storage/reports.py), its text and chart."""
