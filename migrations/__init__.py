"""Alembic migrations, shipped inside the package so an installed copy can migrate."""
