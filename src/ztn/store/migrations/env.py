"""Alembic environment: always run programmatically by ``Database.migrate`` on a shared connection."""

from alembic import context

from ztn.store.models import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
