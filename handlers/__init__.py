"""The Slack edge: the Bolt app, its listeners by surface, the modals, the HTTP front and the command line."""
