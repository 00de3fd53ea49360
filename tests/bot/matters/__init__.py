"""Tests of bot/matters/."""
