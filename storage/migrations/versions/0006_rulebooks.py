"""Rulebooks: the acknowledgement as a fact (how and by whom), the client's own limits (when the
problem happened, when they became aware, the date the ombudsman referral window closes), the
holding response, and summary resolution.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acknowledged_via", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_by", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("problem_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("aware_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("holding_response_sent_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("summary_resolution", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("ombudsman_referral_by", sa.Date(), nullable=True))
    # Complaints stored before this revision were taken as acknowledged when logged (0005) and
    # keep that time; from now on acknowledged_at is set only when someone records the sending.


def downgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("ombudsman_referral_by")
        batch_op.drop_column("summary_resolution")
        batch_op.drop_column("holding_response_sent_on")
        batch_op.drop_column("aware_on")
        batch_op.drop_column("problem_on")
        batch_op.drop_column("acknowledged_by")
        batch_op.drop_column("acknowledged_via")
