#!/usr/bin/env python3
"""The four examples of RethinkDB's `table.insert` reference page (the 1.x Python API), run
verbatim through the official Python driver against `docstore serve`.

    python3 reference_examples.py HOST:PORT

Prints one line per check and a closing `N passed, N failed`; exits 1 when any check failed.
"""
import re
import sys

from rethinkdb import r

host, port = (sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:28015").rsplit(":", 1)
conn = r.connect(host=host, port=int(port))
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print("ok    " + name)
    else:
        failed += 1
        print("FAIL  " + name + ("  " + repr(detail) if detail else ""))


def counters(result, **expected):
    want = {"inserted": 0, "replaced": 0, "unchanged": 0, "errors": 0, "deleted": 0, "skipped": 0}
    want.update(expected)
    return all(result.get(k) == v for k, v in want.items())


# The page's table has the default primary key `id`: documents without one get generated keys.
if "marvel" in r.table_list().run(conn):
    r.table_drop("marvel").run(conn)
r.table_create("marvel").run(conn)

result = r.table('marvel').insert(
    { 'superhero': 'Iron Man', 'superpower':'Arc Reactor' }).run(conn)
check("example 1 inserts a row", counters(result, inserted=1), result)
check("example 1 reports one generated key", len(result.get("generated_keys", [])) == 1
      and UUID.match(result["generated_keys"][0]), result)
check("example 1's row is stored under its generated key",
      r.table("marvel").get(result["generated_keys"][0]).run(conn) ==
      {"id": result["generated_keys"][0], "superhero": "Iron Man", "superpower": "Arc Reactor"})

result = r.table('marvel').insert([
    { 'superhero': 'Wolverine', 'superpower': 'Adamantium' },
    { 'superhero': 'Spiderman', 'superpower': 'spidy sense' }
    ], durability='soft'
).run(conn)
check("example 2 inserts two rows with soft durability", counters(result, inserted=2), result)
check("example 2 reports two generated keys", len(result.get("generated_keys", [])) == 2, result)

result = r.table('marvel').insert(
    { 'superhero': 'Iron Man', 'superpower': 'Arc Reactor' },
    upsert=True
).run(conn)
check("example 3 (no key given) inserts another row", counters(result, inserted=1), result)

result = r.table('marvel').insert(
    { 'superhero': 'Iron Man', 'superpower': 'Arc Reactor' },
    upsert=True, return_vals=True
).run(conn)
check("example 4 returns the new row at the top level",
      result.get("old_val") is None and result.get("new_val", {}).get("superhero") == "Iron Man"
      and result["new_val"].get("id") == result.get("generated_keys", [None])[0], result)
check("the table holds the five rows", r.table("marvel").count().run(conn) == 5)

# Where the key is the hero's name, upsert really overwrites: the page's "if the document already exists".
r.table_drop("marvel").run(conn)
r.table_create("marvel", primary_key="superhero").run(conn)
r.table('marvel').insert({ 'superhero': 'Iron Man', 'superpower': 'Repulsors' }).run(conn)
result = r.table('marvel').insert(
    { 'superhero': 'Iron Man', 'superpower': 'Arc Reactor' },
    upsert=True
).run(conn)
check("upsert on an existing key replaces the row", counters(result, replaced=1), result)
result = r.table('marvel').insert(
    { 'superhero': 'Iron Man', 'superpower': 'Arc Reactor' },
    upsert=True, return_vals=True
).run(conn)
check("upsert of the same row is unchanged", counters(result, unchanged=1), result)
check("return_vals gives old_val and new_val",
      result.get("old_val") == {"superhero": "Iron Man", "superpower": "Arc Reactor"}
      and result.get("new_val") == {"superhero": "Iron Man", "superpower": "Arc Reactor"}, result)
result = r.table('marvel').insert({ 'superhero': 'Iron Man', 'superpower': 'Nanotech' }).run(conn)
check("without upsert a duplicate key is an error in the result", counters(result, errors=1)
      and result.get("first_error") == 'Duplicate primary key `superhero`:\n{\n\t"superhero":\t"Iron Man",\n\t"superpower":\t"Arc Reactor"\n}\n{\n\t"superhero":\t"Iron Man",\n\t"superpower":\t"Nanotech"\n}', result)
try:
    r.table('marvel').insert([{ 'superhero': 'Thor' }, { 'superhero': 'Loki' }], return_vals=True).run(conn)
    check("return_vals with several rows is refused", False)
except r.ReqlQueryLogicError as error:
    check("return_vals with several rows is refused", "Optarg RETURN_VALS is invalid for multi-row inserts" in str(error), str(error))

r.table_drop("marvel").run(conn)
conn.close()
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
