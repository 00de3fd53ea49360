"""One module per revision of the schema, applied in order by Alembic (complaint-bot migrate)."""
