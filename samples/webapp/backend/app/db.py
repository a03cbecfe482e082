"""Database access for the notes API (psycopg2 from Debian's python3-psycopg2)."""

import os
import time

import psycopg2


def connect(attempts=50):
    """Connect, retrying while the database is still starting."""
    for attempt in range(attempts):
        try:
            return psycopg2.connect(
                host=os.environ.get("DATABASE_HOST", "db"),
                user=os.environ["DATABASE_USER"],
                password=os.environ["DATABASE_PASSWORD"],
                dbname=os.environ["DATABASE_NAME"],
                connect_timeout=3,
            )
        except psycopg2.OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)
    raise RuntimeError("unreachable")
