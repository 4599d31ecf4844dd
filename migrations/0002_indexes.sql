-- DocStore's secondary indexes: one row per index of a document table.
-- Each index keeps its entries in a SQLite table of its own, named after the document table
-- and the index with a `$` between them (`marvel$email`), a name no document table can take.
-- `storage` records that name (SQLite ignores letter case in table names, and index names may
-- differ only in case, so a second one gets a suffix: `marvel$Email$2`).
-- An entry table has the columns
--   key    BLOB     the value's encoding, whose byte order is ReQL's order of values
--                   (RethinkDB's secondary key), cut to 250 bytes
--   id_type TEXT    RethinkDB's type letter of the primary key (A, B, N, P or S)
--   id              the document's primary key, as the document table's `id` column has it
--   tag    INTEGER  0, or the array position of the element for a multi index
--   value  TEXT     the indexed value as JSON
-- with PRIMARY KEY (key, id_type, id, tag), WITHOUT ROWID, so a range of values is a range
-- of the B-tree.
CREATE TABLE "docstore$indexes" (
    id            INTEGER PRIMARY KEY,
    table_name    TEXT NOT NULL,
    name          TEXT NOT NULL,
    storage       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    function      TEXT NOT NULL,
    multi         INTEGER NOT NULL DEFAULT 0 CHECK (multi IN (0, 1)),
    geo           INTEGER NOT NULL DEFAULT 0 CHECK (geo IN (0, 1)),
    -- 0 while the index is being built: documents with rowid <= built_through have entries.
    ready         INTEGER NOT NULL DEFAULT 0 CHECK (ready IN (0, 1)),
    built_through INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (table_name, name)
) STRICT;
