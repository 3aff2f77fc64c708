"""notes, tags and repetition rules as unbounded text on every database

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (table, column, old length, nullable): VARCHAR(n) on PostgreSQL refused longer text that
# SQLite stored, so the same note could land on one database and fail on the other.
COLUMNS = (
    ("card", "tags", 500, False),
    ("study_block", "rrule", 300, True),
    ("study_block", "note", 500, False),
    ("study_session", "note", 500, False),
    ("focus_timer", "note", 500, False),
)


def upgrade() -> None:
    for table, column, length, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=length),
                type_=sa.Text(),
                existing_nullable=nullable,
            )


def downgrade() -> None:
    for table, column, length, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.Text(),
                type_=sa.String(length=length),
                existing_nullable=nullable,
            )
