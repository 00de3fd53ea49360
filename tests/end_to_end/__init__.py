"""The bot driven from outside: over real HTTP, as real processes, with the Slack double."""
