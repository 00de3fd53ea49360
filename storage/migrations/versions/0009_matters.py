"""Matters: the client matter that complaints and disclosures name by its reference, who is
responsible for it and how often the client hears from us; its events on the same timeline.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "matters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_ref", sa.String(length=100), nullable=False),
        sa.Column("client_name", sa.String(length=200), nullable=True),
        sa.Column("responsible_id", sa.String(length=32), nullable=True),
        sa.Column("supervisor_id", sa.String(length=32), nullable=True),
        sa.Column("area", sa.String(length=40), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("update_cadence_days", sa.Integer(), server_default="14", nullable=False),
        sa.Column("next_key_date", sa.Date(), nullable=True),
        sa.Column("next_key_date_what", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        sa.Column("set_up", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("matter_ref"),
    )
    with op.batch_alter_table("matters", schema=None) as batch_op:
        batch_op.create_index("ix_matters_status_responsible", ["status", "responsible_id"], unique=False)
        batch_op.create_index("ix_matters_status_supervisor", ["status", "supervisor_id"], unique=False)

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("matter_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_events_matter_id"), ["matter_id"], unique=False)
        batch_op.create_foreign_key("fk_events_matter_id", "matters", ["matter_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint("fk_events_matter_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_events_matter_id"))
        batch_op.drop_column("matter_id")

    with op.batch_alter_table("matters", schema=None) as batch_op:
        batch_op.drop_index("ix_matters_status_supervisor")
        batch_op.drop_index("ix_matters_status_responsible")
    op.drop_table("matters")
