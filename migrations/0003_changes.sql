-- DocStore's change log: for each table whose log is on, every write records the documents
-- it changed, in the same transaction, one row per document, numbered in commit order.
-- Feeds (Table.changes(), `docstore changes`, the server's changes()) read it by number, so
-- a feed sees commits of every process on the file and can resume after a restart.
--
-- The catalog says which tables log and how much they keep:
--   change_log               1 when writes to the table are logged
--   change_keep_count        keep the newest N changes of the table (NULL: no count limit)
--   change_keep_seconds      keep changes younger than this (NULL: no age limit)
--   changes_trimmed_through  the highest sequence removed from the table's log (by its
--                            retention, or because the log was off until then): a feed that
--                            resumes from an older sequence would miss changes, and is refused
ALTER TABLE docstore_tables ADD COLUMN change_log INTEGER NOT NULL DEFAULT 0 CHECK (change_log IN (0, 1));
ALTER TABLE docstore_tables ADD COLUMN change_keep_count INTEGER;
ALTER TABLE docstore_tables ADD COLUMN change_keep_seconds REAL;
ALTER TABLE docstore_tables ADD COLUMN changes_trimmed_through INTEGER NOT NULL DEFAULT 0;

-- One row per changed document:
--   seq         the change's number: increasing in commit order across all tables, never
--               reused (AUTOINCREMENT), so a feed's position stays valid after trims
--   table_name  the document table
--   key         the document's primary key, as the table's `id` column holds it
--   old_doc     the document before the write (canonical JSON), NULL for an insert
--   new_doc     the document after it, NULL for a delete
--   at          when it was written, in seconds since 1970 (age retention)
CREATE TABLE "docstore$changes" (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    key        ANY NOT NULL,
    old_doc    TEXT,
    new_doc    TEXT,
    at         REAL NOT NULL
) STRICT;
CREATE INDEX "docstore$changes$by_table" ON "docstore$changes" (table_name, seq);
