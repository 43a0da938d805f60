"""Alembic environment: run by amity.registry.open_registry on a connection it passes in
`config.attributes["connection"]`; there is no alembic.ini."""

from __future__ import annotations

from alembic import context

from amity.registry.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("amity's migrations run online, through amity.registry.open_registry")
run_migrations_online()
