"""The rulebooks: schemes, calendars, and the clocks and texts they decide."""
