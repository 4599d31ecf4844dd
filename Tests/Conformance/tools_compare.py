"""Seeds, and compares, the databases Tests/Conformance/tools.sh sends through RethinkDB's
data tools (`rethinkdb import|export|dump|restore|index-rebuild`).

    python3 tools_compare.py seed PORT DB            # the tables the rounds carry
    python3 tools_compare.py same PORT_A DB_A PORT_B DB_B [--tables t1,t2] [--strings]
    python3 tools_compare.py ndjson FILE / flatcsv FILE   # a source file and the rows it holds

`same` fails (exit 1, with the first difference) unless both databases hold the same tables,
with the same primary keys, rows and secondary indexes (name, multi, geo, and what each index
gives for every row, so an index function that came back different is caught). `--strings`
compares CSV round trips, where every value comes back a string.
"""
import json
import sys

from rethinkdb import r


def connect(port):
    return r.connect(host="127.0.0.1", port=int(port))


def seed(conn, db):
    r.db_create(db).run(conn)
    r.db(db).table_create("heroes").run(conn)
    heroes = [{"id": i, "name": "hero %d" % i, "power": i * 1.5, "tags": ["t%d" % (i % 3), "all"],
               "nested": {"x": i, "deep": {"y": [i, None, True]}}, "when": r.epoch_time(1500000000 + i)}
              for i in range(600)]
    r.db(db).table("heroes").insert(heroes).run(conn)
    r.db(db).table("heroes").index_create("name").run(conn)
    r.db(db).table("heroes").index_create("power_name", lambda h: [h["power"], h["name"]]).run(conn)
    r.db(db).table("heroes").index_create("tags", multi=True).run(conn)
    r.db(db).table("heroes").index_wait().run(conn)
    r.db(db).table_create("keyed", primary_key="code").run(conn)
    r.db(db).table("keyed").insert([{"code": "c%03d" % i, "v": i, "s": "x" * (i % 7)} for i in range(120)]).run(conn)
    r.db(db).table_create("empty").run(conn)


def rows(conn, db, table, key):
    return sorted(r.db(db).table(table).run(conn), key=lambda row: json.dumps(row[key], sort_keys=True))


def indexes(conn, db, table):
    """Each index's definition (its stored function, multi, geo) and the rows it finds over
    its whole range, once per index entry."""
    found = {}
    for status in r.db(db).table(table).index_status().run(conn):
        name = status["index"]
        through_index = sorted(json.dumps(row, sort_keys=True, default=str)
                               for row in r.db(db).table(table).between(r.minval, r.maxval, index=name).run(conn))
        found[name] = {"function": status["function"], "multi": status["multi"], "geo": status["geo"],
                       "rows": through_index}
    return found


def stringify(value):
    return value if isinstance(value, str) else json.dumps(value)


def same(a, db_a, b, db_b, only=None, strings=False):
    tables_a = sorted(r.db(db_a).table_list().run(a))
    tables_b = sorted(r.db(db_b).table_list().run(b))
    if only:
        tables_a = [t for t in tables_a if t in only]
        tables_b = [t for t in tables_b if t in only]
    if tables_a != tables_b:
        return "tables differ: %s vs %s" % (tables_a, tables_b)
    for table in tables_a:
        key_a = r.db(db_a).table(table).info()["primary_key"].run(a)
        key_b = r.db(db_b).table(table).info()["primary_key"].run(b)
        if key_a != key_b:
            return "%s: primary key %s vs %s" % (table, key_a, key_b)
        rows_a, rows_b = rows(a, db_a, table, key_a), rows(b, db_b, table, key_b)
        if strings:
            rows_a = sorted(({k: stringify(v) for k, v in row.items()} for row in rows_a), key=lambda x: x[key_a])
            rows_b = sorted(rows_b, key=lambda x: x[key_b])
        if rows_a != rows_b:
            diff = next((x, y) for x, y in zip(rows_a + [None] * len(rows_b), rows_b + [None] * len(rows_a)) if x != y)
            return "%s: rows differ (%d vs %d rows), first: %s vs %s" % (table, len(rows_a), len(rows_b), diff[0], diff[1])
        if not strings and indexes(a, db_a, table) != indexes(b, db_b, table):
            return "%s: indexes differ: %s vs %s" % (table, sorted(indexes(a, db_a, table)), sorted(indexes(b, db_b, table)))
    return None


def main(argv):
    command = argv[1]
    if command == "seed":
        seed(connect(argv[2]), argv[3])
    elif command == "ndjson":
        with open(argv[2], "w") as out:
            for i in range(300):
                out.write(json.dumps({"id": "n%d" % i, "n": i, "list": [i, str(i)], "obj": {"k": i % 5}}) + "\n")
    elif command == "flatcsv":
        with open(argv[2], "w") as out:
            out.write("id,name,city\n")
            for i in range(200):
                out.write("r%d,name %d,city %d\n" % (i, i, i % 9))
    elif command == "same":
        only = None
        strings = "--strings" in argv
        if "--tables" in argv:
            only = set(argv[argv.index("--tables") + 1].split(","))
        problem = same(connect(argv[2]), argv[3], connect(argv[4]), argv[5], only, strings)
        if problem:
            print("DIFFERENT  %s.%s vs %s.%s: %s" % (argv[2], argv[3], argv[4], argv[5], problem))
            return 1
        print("same       %s.%s and %s.%s" % (argv[2], argv[3], argv[4], argv[5]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
