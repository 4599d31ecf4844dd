-- Write hooks (RethinkDB 2.4's `set_write_hook`): a table may have one ReQL function of three
-- arguments, (context, old document, new document), that every write to the table applies
-- to each document it changes, inside the write's transaction, before the document is stored.
--
--   write_hook  the function as its ReQL FUNC term in the JSON wire form a driver sends
--               (`[69,[[2,[1,2,3]],...]]`), NULL when the table has none. Every writer of the
--               file (the library, the CLI, `docstore serve`, another process) reads it from
--               here, so all of them apply the same hook.
ALTER TABLE docstore_tables ADD COLUMN write_hook TEXT;
