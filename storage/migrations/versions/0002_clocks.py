"""The SLA clocks: update and final-response deadlines, snooze, resolution, next_reminder_at.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PENDING_OLD = "sent_at IS NULL"
PENDING_NEW = "sent_at IS NULL AND cancelled_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("final_response_due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("last_client_update_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("next_update_due_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("snoozed_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("next_reminder_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("resolved_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("resolved_by", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("outcome", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("remedy", sa.Text(), nullable=True))
        batch.add_column(sa.Column("final_response_sent_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ombudsman_rights_given", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("root_cause", sa.String(length=30), nullable=True))
        batch.create_index(
            "ix_complaints_next_reminder_at",
            ["next_reminder_at"],
            sqlite_where=sa.text("next_reminder_at IS NOT NULL"),
            postgresql_where=sa.text("next_reminder_at IS NOT NULL"),
        )
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))
        batch.drop_index("ix_notifications_pending")
        batch.create_index(
            "ix_notifications_pending",
            ["next_attempt_at"],
            sqlite_where=sa.text(PENDING_NEW),
            postgresql_where=sa.text(PENDING_NEW),
        )

    # Complaints logged before the clocks existed: the default 8-week deadline, the update clock
    # from triage, and a look by the next sweep for every open one.
    complaints = sa.table(
        "complaints",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("received_on", sa.Date),
        sa.column("logged_at", sa.DateTime),
        sa.column("triaged_at", sa.DateTime),
        sa.column("update_cadence_days", sa.Integer),
        sa.column("final_response_due_on", sa.Date),
        sa.column("next_update_due_at", sa.DateTime),
        sa.column("next_reminder_at", sa.DateTime),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(complaints).where(complaints.c.status != "resolved")).mappings().all()
    for row in rows:
        values = {
            "final_response_due_on": row["received_on"] + timedelta(weeks=8),
            "next_reminder_at": row["logged_at"],
        }
        if row["triaged_at"] is not None and row["update_cadence_days"]:
            values["next_update_due_at"] = row["triaged_at"] + timedelta(days=row["update_cadence_days"])
        bind.execute(sa.update(complaints).where(complaints.c.id == row["id"]).values(**values))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_index("ix_notifications_pending")
        batch.create_index(
            "ix_notifications_pending",
            ["next_attempt_at"],
            sqlite_where=sa.text(PENDING_OLD),
            postgresql_where=sa.text(PENDING_OLD),
        )
        batch.drop_column("cancelled_at")
    with op.batch_alter_table("complaints") as batch:
        batch.drop_index("ix_complaints_next_reminder_at")
        for name in (
            "root_cause",
            "ombudsman_rights_given",
            "final_response_sent_on",
            "remedy",
            "outcome",
            "resolved_by",
            "resolved_at",
            "next_reminder_at",
            "snoozed_until",
            "next_update_due_at",
            "last_client_update_at",
            "final_response_due_on",
        ):
            batch.drop_column(name)
