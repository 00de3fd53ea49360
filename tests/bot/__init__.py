"""Tests of bot/: the rules of complaint handling, by domain, as bot/ is laid out."""
