"""What every domain shares: the clock, errors, references, paging, settings, the vocabulary,
the callback and action ids, the rule for stored text, and the Block Kit primitives."""
