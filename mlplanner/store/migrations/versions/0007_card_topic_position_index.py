"""card index on (topic_id, position): a topic's last position read from the index

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Adding a card puts it after its topic's others: the highest position of a topic is
    # then one index lookup instead of a read of every card of the topic (an import asks
    # once per batch, for each topic in it).
    with op.batch_alter_table("card", schema=None) as batch_op:
        batch_op.create_index("ix_card_topic_position", ["topic_id", "position"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("card", schema=None) as batch_op:
        batch_op.drop_index("ix_card_topic_position")
