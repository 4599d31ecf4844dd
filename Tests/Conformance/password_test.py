#!/usr/bin/env python3
"""`docstore serve --password-file`: the right password connects, a wrong one is refused with
RethinkDB's authentication error, and the server keeps serving afterwards.

    python3 password_test.py HOST:PORT PASSWORD
"""
import sys

from rethinkdb import r
from rethinkdb.errors import ReqlAuthError

host, port = sys.argv[1].rsplit(":", 1)
password = sys.argv[2]
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    passed, failed = (passed + 1, failed) if condition else (passed, failed + 1)
    print(("ok    " if condition else "FAIL  ") + name + ("" if condition or not detail else "  " + repr(detail)))


try:
    r.connect(host=host, port=int(port), password=password + "x")
    check("a wrong password is refused", False)
except ReqlAuthError as error:
    check("a wrong password is refused", "Wrong password" in str(error), str(error))

try:
    r.connect(host=host, port=int(port), user="nobody", password=password)
    check("an unknown user is refused", False)
except ReqlAuthError as error:
    check("an unknown user is refused", "Unknown user" in str(error), str(error))

conn = r.connect(host=host, port=int(port), password=password)
check("the right password connects and queries run", r.expr(1).run(conn) == 1)
conn.close()
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
