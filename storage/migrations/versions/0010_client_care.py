"""Client care on matters: when the sweep next looks at a matter, its last client update and how the
client seemed, a snooze or dormancy of its check-ins, its costs estimate and costs to date; the
amount of a costs disclosure; a notification's matter.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MATTER_COLUMNS = (
    ("next_reminder_at", sa.DateTime()),
    ("last_update_on", sa.Date()),
    ("unhappy_on", sa.Date()),
    ("concerned_on", sa.Date()),
    ("snoozed_until", sa.DateTime()),
    ("snooze_reason", sa.String(length=500)),
    ("dormant_until", sa.Date()),
    ("costs_estimate", sa.BigInteger()),
    ("estimate_ref", sa.String(length=20)),
    ("costs_to_date", sa.BigInteger()),
    ("costs_changed_at", sa.DateTime()),
)


def upgrade() -> None:
    with op.batch_alter_table("matters", schema=None) as batch_op:
        for name, type_ in MATTER_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.create_index(
            "ix_matters_next_reminder_at",
            ["next_reminder_at"],
            unique=False,
            sqlite_where=sa.text("next_reminder_at IS NOT NULL"),
            postgresql_where=sa.text("next_reminder_at IS NOT NULL"),
        )
    # Every open matter set up before this revision is looked at by the next sweep.
    op.execute("UPDATE matters SET next_reminder_at = created_at WHERE status = 'open' AND set_up")
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amount", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("matter_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_notifications_matter_id"), ["matter_id"], unique=False)
        batch_op.create_foreign_key("fk_notifications_matter_id", "matters", ["matter_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint("fk_notifications_matter_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_notifications_matter_id"))
        batch_op.drop_column("matter_id")
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.drop_column("amount")
    with op.batch_alter_table("matters", schema=None) as batch_op:
        batch_op.drop_index("ix_matters_next_reminder_at")
        for name, _ in reversed(MATTER_COLUMNS):
            batch_op.drop_column(name)
