"""Tests of bot/digest/."""
