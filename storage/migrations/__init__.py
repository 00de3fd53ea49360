"""Alembic migrations of the store: env.py and one module per revision under versions/."""
