-- The change log at a logged insert's cost (issue 13: a logged insert took 1.8x an unlogged
-- one). Two changes, measured on 100,000 inserts in C: a record no longer copies the document
-- its row holds, and `seq` no longer uses AUTOINCREMENT, which reads and rewrites
-- `sqlite_sequence` on every insert (0.12 s of the 0.28 s a record cost).
--
-- docstore_tables.change_links  1 when the document table has a `change_seq` column: the
--                 `seq` of the record of the row's last logged write. Such a record holds
--                 `new_doc = ''` (no JSON text is empty) while the row still holds that
--                 document; the write that next changes or deletes the row first copies the
--                 document it replaces into that record's `new_doc`, in the same transaction.
--                 So a record always has its new document: in `new_doc`, or in the row whose
--                 `change_seq` is its `seq`. A table gets the column when its log is switched
--                 on (or it is created with one); the tables logged before this migration get
--                 it right after this file runs (Migrator: one ALTER TABLE per table, which
--                 rewrites no row).
--
-- docstore$sequence  one row: the highest sequence taken that the log may no longer hold
--                 (a switch of a log takes one; trims and switched-off logs delete records).
--                 A writer numbers its records from the greater of it and the log's newest
--                 `seq`, under the write lock, so a sequence is never reused.
--
-- To read a table's log in the sqlite3 shell with every new document:
--   SELECT c.seq, c.key, c.old_doc, CASE c.new_doc WHEN '' THEN t.doc ELSE c.new_doc END AS new_doc
--   FROM "docstore$changes" c LEFT JOIN "orders" t ON c.new_doc = '' AND t.id = c.key
--   WHERE c.table_name = 'orders' ORDER BY c.seq;
ALTER TABLE docstore_tables ADD COLUMN change_links INTEGER NOT NULL DEFAULT 0 CHECK (change_links IN (0, 1));

CREATE TABLE "docstore$sequence" (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
) STRICT;
INSERT INTO "docstore$sequence" (id, seq)
    VALUES (1, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'docstore$changes'), 0));

CREATE TABLE "docstore$changes_0005" (
    seq        INTEGER PRIMARY KEY,
    table_name TEXT NOT NULL,
    key        ANY NOT NULL,
    old_doc    TEXT,
    new_doc    TEXT,
    at         REAL NOT NULL
) STRICT;
INSERT INTO "docstore$changes_0005" (seq, table_name, key, old_doc, new_doc, at)
    SELECT seq, table_name, key, old_doc, new_doc, at FROM "docstore$changes";
DROP TABLE "docstore$changes";
ALTER TABLE "docstore$changes_0005" RENAME TO "docstore$changes";
CREATE INDEX "docstore$changes$by_table" ON "docstore$changes" (table_name, seq);
