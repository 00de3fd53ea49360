"""Tests of bot/complaints/."""
