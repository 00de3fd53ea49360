"""Regulator-ready records: the product or service group, a vulnerable client and the adjustments
made, redress offered and paid (whole minor units of the currency recorded with them), and the
referral to the ombudsman with its decision. Root causes get their own list: stored values of the
old list (the complaint's categories) that have a counterpart in the new one are moved to it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The old root causes (the categories) and their counterparts among the new default root causes;
# communication, delay and advice keep their values, and "other" stays as it was.
ROOT_CAUSES_MOVED = {
    "costs": "costs_information",
    "conduct": "staff_conduct",
    "confidentiality": "system_or_data",
}


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("product", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("vulnerable", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("adjustments", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("redress_currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("redress_offered", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("redress_paid", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("redress_paid_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("referred_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ombudsman_reference", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("ombudsman_decision", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("ombudsman_decided_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ombudsman_award", sa.BigInteger(), nullable=True))
    complaints = sa.table("complaints", sa.column("root_cause", sa.String))
    for old, new in ROOT_CAUSES_MOVED.items():
        op.execute(complaints.update().where(complaints.c.root_cause == old).values(root_cause=new))


def downgrade() -> None:
    complaints = sa.table("complaints", sa.column("root_cause", sa.String))
    for old, new in ROOT_CAUSES_MOVED.items():
        op.execute(complaints.update().where(complaints.c.root_cause == new).values(root_cause=old))
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        for column in (
            "ombudsman_award",
            "ombudsman_decided_on",
            "ombudsman_decision",
            "ombudsman_reference",
            "referred_on",
            "redress_paid_on",
            "redress_paid",
            "redress_offered",
            "redress_currency",
            "adjustments",
            "vulnerable",
            "product",
        ):
            batch_op.drop_column(column)
