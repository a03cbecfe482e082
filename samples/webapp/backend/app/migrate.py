"""One-shot migration job: create the schema, then exit 0 so dependents may start."""

from db import connect

with connect() as conn, conn.cursor() as cur:
    cur.execute(
        "CREATE TABLE IF NOT EXISTS notes ("
        " id serial PRIMARY KEY,"
        " body text NOT NULL,"
        " created timestamptz NOT NULL DEFAULT now())"
    )
print("migrate: schema is up to date")
