"""occurrence overrides linked to their series; busy time imported from other calendars

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import mlplanner.store.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("study_block", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("series_uid", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True)
        )
        batch_op.add_column(sa.Column("recurrence_date", sa.Date(), nullable=True))
    op.create_table(
        "busy_time",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("start", mlplanner.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("end", mlplanner.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_busy_time_source", "busy_time", ["source"], unique=False)
    op.create_index("ix_busy_time_start", "busy_time", ["start", "end"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_busy_time_start", table_name="busy_time")
    op.drop_index("ix_busy_time_source", table_name="busy_time")
    op.drop_table("busy_time")
    with op.batch_alter_table("study_block", schema=None) as batch_op:
        batch_op.drop_column("recurrence_date")
        batch_op.drop_column("series_uid")
