"""Checks that must not run side by side: "is this already stored?" followed by the write, for a
rule no unique constraint can hold (a reference shared by two tables, a register row without a
key). The transaction that holds the lock is the only one checking and writing under ``name``."""

from __future__ import annotations

from django.db import connection


def serialise(name: str) -> None:
    """Wait until no other transaction holds ``name``'s lock, and hold it until this one ends
    (PostgreSQL's transaction-level advisory lock; SQLite's transactions take the write lock
    when they begin, so they are serialised already). Call inside ``transaction.atomic``."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"sufficiency:{name}"])
