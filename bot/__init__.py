"""Complaints and disclosures bot: the rules, the services and the Slack app factory."""
