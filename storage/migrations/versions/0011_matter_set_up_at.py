"""When a matter was set up in the bot: its client care counts from then at the earliest, so a
matter imported or opened long after it began is not owed every reminder of the months before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("matters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("set_up_at", sa.DateTime(), nullable=True))
    # A matter set up before this revision: when its opening (or setting up) was recorded.
    op.execute(
        "UPDATE matters SET set_up_at = COALESCE("
        "(SELECT min(e.at) FROM events e WHERE e.matter_id = matters.id AND e.kind = 'matter_opened'), created_at"
        ") WHERE set_up"
    )


def downgrade() -> None:
    with op.batch_alter_table("matters", schema=None) as batch_op:
        batch_op.drop_column("set_up_at")
