"""A file the outbox shares by its path on the server rather than by bytes in its row: the
register shared in Slack (`/complaint export`) can be far larger than a row should hold. The
file is kept until the message is sent, and removed then.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_path", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("file_path")
