"""Dumps both ways between DocStore and RethinkDB's own dump tools (rethinkdb==2.4.10.post1).

  python3 dump_roundtrip.py DOCSTORE_BIN HOST:PORT WORKDIR

1. `docstore dump` of a file, then `rethinkdb restore` of that archive into `docstore serve`:
   the documents and every index (queried through the index) arrive.
2. `rethinkdb dump` of `docstore serve` (tables and indexes made with the Python driver, one a
   lambda), then `docstore restore` of that archive into a new file: the same.

The tools need the `rethinkdb` system database (server_status, table_config). When the server
has none, each step runs the tools' own code for the archive (`_restore.do_unzip`,
`_import.parse_sources`, `_export`'s file writers, `_dump`'s tar layout) and sends the queries
the tools send (table_create with the primary key, insert, index_create with the BINARY
`function`, index_wait) through the driver, and says so.
"""
import json
import os
import subprocess
import sys
import tarfile
import types

from rethinkdb import RethinkDB
from rethinkdb import _import, _restore, utils_common

r = RethinkDB()
failures = []


def check(name, condition, detail=""):
    print(("PASS  " if condition else "FAIL  ") + name + ("" if condition else ": " + detail))
    if not condition:
        failures.append(name)


def docstore(binary, path, *args):
    return subprocess.run([binary, "--db", path, *args], capture_output=True, text=True)


def has_system_db(conn):
    try:
        r.db("rethinkdb").table("server_status").count().run(conn)
        return True
    except r.ReqlError:
        return False


class VersionOnly(utils_common.RetryQuery):
    """The tools' query runner where they only read the server version from server_status
    (to know whether write hooks exist): RethinkDB 2.4."""

    def __call__(self, name, query, **kwargs):
        return "rethinkdb 2.4.4"


def tool_restore(archive, host, port, conn, real):
    if real:
        run = subprocess.run([sys.executable, "-m", "rethinkdb", "restore", archive, "-c", "%s:%s" % (host, port)],
                             capture_output=True, text=True)
        check("rethinkdb restore exits 0", run.returncode == 0, run.stdout + run.stderr)
        return
    temp = os.path.join(os.path.dirname(archive), "restore-tmp")
    os.makedirs(temp)
    options = types.SimpleNamespace(in_file=archive, db_tables=[], directory=temp, file=None, indexes=True,
                                    retryQuery=VersionOnly({"host": host, "port": port}))
    _restore.do_unzip(temp, options)
    for source in _import.parse_sources(options):
        r.db(source.db).table_create(source.table, primary_key=source.primary_key).run(conn)
        rows = json.load(source._source)
        r.db(source.db).table(source.table).insert(rows, conflict="error", ignore_write_hook=True).run(conn)
        for index in source.indexes:
            r.db(source.db).table(source.table).index_create(index["index"], index["function"]).run(conn)
        r.db(source.db).table(source.table).index_wait().run(conn)


def tool_dump(archive, host, port, conn, real):
    if real:
        run = subprocess.run([sys.executable, "-m", "rethinkdb", "dump", "-c", "%s:%s" % (host, port), "-f", archive],
                             capture_output=True, text=True)
        check("rethinkdb dump exits 0", run.returncode == 0, run.stdout + run.stderr)
        return
    # _export.export_table's files, _dump.main's tar layout.
    with tarfile.open(name=archive, mode="w:gz") as out:
        for table in r.db("test").table_list().run(conn):
            config = r.db("test").table(table).config().run(conn)
            info = {"db": {"name": "test", "type": "DB"}, "name": table, "type": "TABLE",
                    "primary_key": config["primary_key"],
                    "indexes": r.db("test").table(table).index_status().run(conn, binary_format="raw"),
                    "write_hook": None}
            rows = list(r.db("test").table(table).order_by(index=config["primary_key"])
                        .run(conn, time_format="raw", binary_format="raw"))
            folder = os.path.join(os.path.dirname(archive), "dump-tmp", "test")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, table + ".info"), "w") as f:
                f.write(json.dumps(info) + "\n")
            with open(os.path.join(folder, table + ".json"), "w") as f:
                f.write("[" + ",".join("\n" + json.dumps(row) for row in rows) + "\n]\n")
            for name in (table + ".info", table + ".json"):
                out.add(os.path.join(folder, name), arcname="rethinkdb_dump_2024-01-01T00:00:00/test/" + name)


def keys(text):
    """The `name` keys of the documents `docstore scan`/`get` printed, one per line."""
    return sorted(json.loads(line)["name"] for line in text.splitlines() if line.strip())


def main():
    binary, address, work = sys.argv[1], sys.argv[2], sys.argv[3]
    host, port = address.split(":")
    conn = r.connect(host, int(port))
    real = has_system_db(conn)
    if not real:
        print("NOTE  docstore serve has no `rethinkdb` system database: the tools' archive code runs, "
              "and their queries go through the driver")

    # 1. docstore dump -> rethinkdb restore -> docstore serve.
    source = os.path.join(work, "source.sqlite")
    heroes = [{"id": 1, "name": "Iron Man", "team": "avengers", "tags": ["armor", "genius"], "address": {"city": "Malibu"}},
              {"id": 2, "name": "Thor", "team": "avengers", "tags": ["hammer"], "address": {"city": "Asgard"}},
              {"id": 3, "name": "Ünïcode 😀", "team": "x-men", "tags": [], "address": {"city": "Malibu"}}]
    docstore(binary, source, "insert", "marvel", json.dumps(heroes))
    docstore(binary, source, "index", "create", "marvel", "team")
    docstore(binary, source, "index", "create", "marvel", "tags", "--multi")
    docstore(binary, source, "index", "create", "marvel", "city", "--field", "address.city")
    docstore(binary, source, "index", "create", "marvel", "teamCity", "--compound", "team,address.city")
    archive = os.path.join(work, "docstore-dump.tar.gz")
    dumped = docstore(binary, source, "dump", "-f", archive)
    check("docstore dump exits 0", dumped.returncode == 0, dumped.stderr)
    tool_restore(archive, host, port, conn, real)
    marvel = r.db("test").table("marvel")
    check("restored documents", sorted(marvel.run(conn), key=lambda d: d["id"]) == heroes)
    check("restored index list", sorted(marvel.index_list().run(conn)) == ["city", "tags", "team", "teamCity"])
    check("team index", sorted(d["id"] for d in marvel.get_all("avengers", index="team").run(conn)) == [1, 2])
    check("multi tags index", [d["id"] for d in marvel.get_all("hammer", index="tags").run(conn)] == [2])
    check("multi flag", marvel.index_status("tags").run(conn)[0]["multi"] is True)
    check("nested city index", sorted(d["id"] for d in marvel.get_all("Malibu", index="city").run(conn)) == [1, 3])
    check("compound index", [d["id"] for d in marvel.get_all(["x-men", "Malibu"], index="teamCity").run(conn)] == [3])

    # 2. docstore serve -> rethinkdb dump -> docstore restore.
    r.db("test").table_create("dc", primary_key="name").run(conn)
    dc = r.db("test").table("dc")
    people = [{"name": "bruce", "n": 2, "teams": ["jl", "bat"], "born": r.epoch_time(0)},
              {"name": "clark", "n": 5, "teams": ["jl"], "born": r.epoch_time(86400)}]
    dc.insert(people).run(conn)
    dc.index_create("double", lambda doc: doc["n"] * 2).run(conn)
    dc.index_create("teams", multi=True).run(conn)
    dc.index_create("firstTeam", r.row["teams"][0]).run(conn)
    dc.index_wait().run(conn)
    back = os.path.join(work, "rethinkdb-dump.tar.gz")
    tool_dump(back, host, port, conn, real)
    copy = os.path.join(work, "copy.sqlite")
    restored = docstore(binary, copy, "restore", back, "-i", "test.dc")
    check("docstore restore exits 0", restored.returncode == 0, restored.stdout + restored.stderr)
    scanned = docstore(binary, copy, "scan", "dc")
    check("docstore restore: documents", keys(scanned.stdout) == ["bruce", "clark"], scanned.stdout + scanned.stderr)
    check("docstore restore: the time survives", '"$reql_type$":"TIME"' in scanned.stdout, scanned.stdout)
    by_double = docstore(binary, copy, "get", "dc", "--index", "double", "10")
    check("docstore restore: lambda index", keys(by_double.stdout) == ["clark"], by_double.stdout + by_double.stderr)
    by_team = docstore(binary, copy, "get", "dc", "--index", "teams", "jl")
    check("docstore restore: multi index", keys(by_team.stdout) == ["bruce", "clark"], by_team.stdout + by_team.stderr)
    by_first = docstore(binary, copy, "get", "dc", "--index", "firstTeam", "jl")
    check("docstore restore: r.row index", keys(by_first.stdout) == ["bruce", "clark"], by_first.stdout + by_first.stderr)
    status = json.loads(docstore(binary, copy, "index", "status", "dc").stdout)
    check("docstore restore: multi flag", [s["multi"] for s in status if s["index"] == "teams"] == [True], str(status))

    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
