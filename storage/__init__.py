"""Persistence: SQLAlchemy models, the engine and session factory, Alembic migrations, and the SQL
that needs care, by domain.

storage/<domain>.py holds the SQL of bot/<domain>/: complaints.py, disclosures.py, reminders.py
(what the sweep must look at), outbox.py (the notification outbox), access.py (refusals on record);
references.py the reference counter, events.py the timeline's append. reports.py holds the
aggregates for the digest and App Home, retention.py the retention purge, register.py the register's
streaming reads and bulk writes; upsert.py the INSERT … ON CONFLICT both backends understand.
Besides these: models.py, types.py (column types), db.py (engine, sessions), migrate.py and
migrations/.

storage imports nothing from bot/ or handlers/: it answers questions in SQL and leaves the rules
to the services.
"""
