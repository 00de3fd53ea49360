"""App Home: what one person owes, and for the complaints team, the firm's picture."""
