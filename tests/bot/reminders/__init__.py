"""Tests of bot/reminders/."""
