"""Alembic environment: runs on the connection handed over by mlplanner.store.migrate."""

from alembic import context
from sqlmodel import SQLModel

from mlplanner.store import models  # noqa: F401

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
