-- DocStore's catalog: one row per document table.
-- Each document table is an ordinary SQLite table of the same name with two columns,
-- `id` (the primary-key value) and `doc` (the whole document as canonical JSON text).
CREATE TABLE docstore_tables (
    name        TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    primary_key TEXT NOT NULL DEFAULT 'id',
    durability  TEXT NOT NULL DEFAULT 'hard' CHECK (durability IN ('hard', 'soft')),
    uuid        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
