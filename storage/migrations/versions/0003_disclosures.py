"""Disclosures: what clients were told, their acknowledgement, and links from events and messages.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "disclosures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("ref_year", sa.Integer(), nullable=False),
        sa.Column("ref_seq", sa.Integer(), nullable=False),
        sa.Column("client_name", sa.String(length=200), nullable=False),
        sa.Column("matter_ref", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("disclosed_on", sa.Date(), nullable=False),
        sa.Column("disclosed_via", sa.String(length=20), nullable=False),
        sa.Column("ack_status", sa.String(length=20), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("document_url", sa.String(length=500), nullable=True),
        sa.Column("source_message_url", sa.String(length=500), nullable=True),
        sa.Column("logged_by", sa.String(length=32), nullable=False),
        sa.Column("logged_at", sa.DateTime(), nullable=False),
        sa.Column("source_view_id", sa.String(length=64), nullable=True),
        sa.Column("next_reminder_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
        sa.UniqueConstraint("source_view_id"),
    )
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disclosures_logged_by"), ["logged_by"], unique=False)
        batch_op.create_index("ix_disclosures_matter_kind", ["matter_ref", "kind", "disclosed_on"], unique=False)
        batch_op.create_index(
            "ix_disclosures_next_reminder_at",
            ["next_reminder_at"],
            unique=False,
            sqlite_where=sa.text("next_reminder_at IS NOT NULL"),
            postgresql_where=sa.text("next_reminder_at IS NOT NULL"),
        )

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disclosure_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_events_disclosure_id"), ["disclosure_id"], unique=False)
        batch_op.create_foreign_key("fk_events_disclosure_id", "disclosures", ["disclosure_id"], ["id"])

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disclosure_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_notifications_disclosure_id"), ["disclosure_id"], unique=False)
        batch_op.create_foreign_key("fk_notifications_disclosure_id", "disclosures", ["disclosure_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint("fk_notifications_disclosure_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_notifications_disclosure_id"))
        batch_op.drop_column("disclosure_id")

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint("fk_events_disclosure_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_events_disclosure_id"))
        batch_op.drop_column("disclosure_id")

    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_disclosures_next_reminder_at",
            sqlite_where=sa.text("next_reminder_at IS NOT NULL"),
            postgresql_where=sa.text("next_reminder_at IS NOT NULL"),
        )
        batch_op.drop_index("ix_disclosures_matter_kind")
        batch_op.drop_index(batch_op.f("ix_disclosures_logged_by"))

    op.drop_table("disclosures")
