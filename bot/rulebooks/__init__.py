"""Rulebooks: each complaints scheme's clocks, ombudsman and wording as data (schemes.py), and the
business-day calendar every count of business days uses (calendar.py)."""
