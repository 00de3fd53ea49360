"""Matters: client care before any complaint. `policy.py` holds the pure rules (the nudges a matter
is owed and when, its risk level and the reasons for it)."""
