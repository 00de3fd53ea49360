"""Disclosures: what each client was told, chasing the client's acknowledgement, and a matter's record."""
