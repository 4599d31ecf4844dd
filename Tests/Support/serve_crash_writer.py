#!/usr/bin/env python3
"""A client for the reliability tests: writes to `docstore serve` through the official Python
driver with hard durability and reports each acknowledged write on stdout, so the test can
SIGKILL the *server* at a random moment and check that every acknowledged write survived.

    python3 serve_crash_writer.py HOST:PORT RUN SEED

Lines (each flushed at once):
    READY
    INTENTJSON <op> <JSON array: every document as the table must hold it after the write>
    ACK <op>
It exits 0 when the connection drops (the server was killed), 1 on anything else.
"""
import json
import random
import sys

from rethinkdb import r
from rethinkdb.errors import ReqlDriverError, ReqlOpFailedError

host, port = sys.argv[1].rsplit(":", 1)
run = int(sys.argv[2])
rng = random.Random(int(sys.argv[3]) * 1000003 + run)
TABLE = "crash"


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def merge(old, patch):
    """RethinkDB's merge: objects recursively, everything else replaced."""
    if not isinstance(old, dict) or not isinstance(patch, dict):
        return patch
    result = dict(old)
    for key, value in patch.items():
        result[key] = merge(result[key], value) if key in result else value
    return result


def text(n):
    alphabet = "abcdefghijklmnopqrstuvwxyz 0123456789" + "é😀\"\\\n"
    return "".join(rng.choice(alphabet) for _ in range(n))


state = {}
next_key = 0


def new_document(op, size):
    global next_key
    key = "p%d-%d" % (run, next_key)
    next_key += 1
    return {"id": key, "v": op, "run": run, "text": text(size), "nested": {"list": [1, 2.5, True, None], "n": rng.randrange(10**6)}}


def main():
    conn = r.connect(host=host, port=int(port))
    try:
        r.table_create(TABLE).run(conn)
    except ReqlOpFailedError:
        pass  # created by an earlier run
    say("READY")
    op = 0
    while True:
        op += 1
        roll = rng.randrange(100)
        keys = list(state)
        if roll < 30 or not keys:
            docs = [new_document(op, 64) for _ in range(rng.randrange(1, 20))]
            expected, conflict, want = docs, "error", {"inserted": len(docs)}
        elif roll < 55:
            picked = rng.sample(keys, min(len(keys), rng.randrange(1, 6)))
            docs = [dict(new_document(op, 32), id=key) for key in picked]
            expected, conflict, want = docs, "replace", {"replaced": len(docs)}
        elif roll < 80:
            picked = rng.sample(keys, min(len(keys), rng.randrange(1, 6)))
            docs = [{"id": key, "v": op, "p%d" % op: {"merged": True}} for key in picked]
            expected = [merge(state[key], doc) for key, doc in zip(picked, docs)]
            conflict, want = "update", {"replaced": len(docs)}
        else:
            # A long transaction, so that kills land inside one.
            docs = [new_document(op, 16) for _ in range(rng.randrange(200, 1200))]
            expected, conflict, want = docs, "error", {"inserted": len(docs)}
        say("INTENTJSON %d %s" % (op, json.dumps(expected, ensure_ascii=False, separators=(",", ":"))))
        result = r.table(TABLE).insert(docs, conflict=conflict, durability="hard").run(conn)
        for field, count in want.items():
            if result.get(field) != count or result.get("errors"):
                sys.stderr.write("MISMATCH op %d: wanted %r, got %r\n" % (op, want, result))
                sys.exit(1)
        for doc in expected:
            state[doc["id"]] = doc
        say("ACK %d" % op)


try:
    main()
except (ReqlDriverError, ConnectionError, OSError) as error:
    # The server went away mid-call: what this run wrote is in the ACK lines.
    sys.stderr.write("connection lost: %s\n" % error)
    sys.exit(0)
