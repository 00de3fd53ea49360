"""Records: acknowledgement time and client-update count on each complaint, legal hold, purge
marks, and the log of refused requests.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PURGE_DUE = "purged_at IS NULL AND legal_hold_at IS NULL"
OPEN = "status IN ('new', 'triaged')"


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acknowledged_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("client_update_count", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("legal_hold_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("legal_hold_by", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("legal_hold_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(), nullable=True))
    # The bot acknowledges a complaint as it is logged; the count is what the timeline holds.
    op.execute("UPDATE complaints SET acknowledged_at = logged_at")
    op.execute(
        "UPDATE complaints SET client_update_count = "
        "(SELECT count(*) FROM events WHERE events.complaint_id = complaints.id AND events.kind = 'client_update')"
    )
    # /complaint list reads the viewer's own open complaints first: as handler (an index existed) or reporter.
    op.create_index("ix_complaints_status_reporter", "complaints", ["status", "reporter_id"])
    # ... and then the rest in triage-deadline order, from the open ones alone.
    op.create_index(
        "ix_complaints_open_by_triage_due",
        "complaints",
        ["triage_due_at"],
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )
    op.create_index(
        "ix_complaints_purge_due",
        "complaints",
        ["resolved_at"],
        sqlite_where=sa.text(PURGE_DUE),
        postgresql_where=sa.text(PURGE_DUE),
    )
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(), nullable=True))
    op.create_table(
        "access_refusals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_access_refusals_at", "access_refusals", ["at"])


def downgrade() -> None:
    op.drop_index("ix_access_refusals_at", "access_refusals")
    op.drop_table("access_refusals")
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.drop_column("purged_at")
    op.drop_index("ix_complaints_purge_due", "complaints")
    op.drop_index("ix_complaints_open_by_triage_due", "complaints")
    op.drop_index("ix_complaints_status_reporter", "complaints")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("purged_at")
        batch_op.drop_column("legal_hold_reason")
        batch_op.drop_column("legal_hold_by")
        batch_op.drop_column("legal_hold_at")
        batch_op.drop_column("client_update_count")
        batch_op.drop_column("acknowledged_at")
