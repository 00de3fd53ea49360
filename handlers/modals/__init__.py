"""The modals, one module each: its Block Kit, and (beside it) the reading of its submitted values by
block id. The Slack edge owns them; the domain takes the plain inputs they produce."""
