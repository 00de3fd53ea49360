"""Tests of bot/disclosures/."""
