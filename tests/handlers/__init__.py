"""Tests of handlers/: the Slack edge."""
