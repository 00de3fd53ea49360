"""Digest and App Home: indexes for weekly and open-complaint counts; files in the outbox;
sends given up after an error no retry can cure.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COMPLAINT_INDEXES = {
    "ix_complaints_logged_at": ["logged_at", "status", "category"],
    "ix_complaints_resolved_at": ["resolved_at"],
    "ix_complaints_received_on": ["received_on", "client_name", "matter_ref"],
    "ix_complaints_triage_due_at": ["triage_due_at"],
    "ix_complaints_final_response_due_on": ["final_response_due_on"],
    "ix_complaints_next_update_due_at": ["next_update_due_at"],
    "ix_complaints_status_severity": ["status", "severity"],
    "ix_complaints_status_received_on": ["status", "received_on"],
    "ix_complaints_status_handler": ["status", "handler_id"],
    "ix_complaints_status_update_due": ["status", "next_update_due_at"],
    "ix_complaints_status_triage_due": ["status", "triage_due_at"],
    "ix_complaints_status_final_due": ["status", "final_response_due_on"],
}
DISCLOSURE_INDEXES = {
    "ix_disclosures_logged_at": ["logged_at"],
    "ix_disclosures_ack_status": ["ack_status", "logged_by"],
}


def upgrade() -> None:
    for name, columns in COMPLAINT_INDEXES.items():
        op.create_index(name, "complaints", columns)
    for name, columns in DISCLOSURE_INDEXES.items():
        op.create_index(name, "disclosures", columns)
    op.create_index("ix_notifications_kind_created_at", "notifications", ["kind", "created_at"])
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("file_title", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("file_content", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("abandoned_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("abandoned_at")
        batch_op.drop_column("file_content")
        batch_op.drop_column("file_title")
        batch_op.drop_column("file_name")
    op.drop_index("ix_notifications_kind_created_at", "notifications")
    for name in DISCLOSURE_INDEXES:
        op.drop_index(name, "disclosures")
    for name in COMPLAINT_INDEXES:
        op.drop_index(name, "complaints")
