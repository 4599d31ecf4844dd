#!/usr/bin/env python3
"""`docstore serve --tls-cert --tls-key`, through the official Python driver: TLS connections
with `ssl={"ca_certs": ...}` work, plaintext ones fail, and users made through
`rethinkdb.users` log in over TLS and are held to what was granted to them.

    python3 tls_users_test.py HOST:PORT CA_CERT_PEM
"""
import sys

from rethinkdb import r
from rethinkdb.errors import ReqlDriverError, ReqlPermissionError

host, port = sys.argv[1].rsplit(":", 1)
port = int(port)
ssl = {"ca_certs": sys.argv[2]}
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    passed, failed = (passed + 1, failed) if condition else (passed, failed + 1)
    print(("ok    " if condition else "FAIL  ") + name + ("" if condition or not detail else "  " + repr(detail)))


admin = r.connect(host=host, port=port, ssl=ssl, timeout=5)
check("admin connects over TLS", "test" in r.db_list().run(admin))

try:
    r.connect(host=host, port=port, timeout=3).close()
    check("a plaintext connection is refused", False)
except ReqlDriverError as error:
    check("a plaintext connection is refused", True, str(error))

r.db("rethinkdb").table("users").insert({"id": "tls_user", "password": "pw"}, conflict="replace").run(admin)
if "tlsdemo" not in r.table_list().run(admin):
    r.table_create("tlsdemo").run(admin)
r.table("tlsdemo").insert({"id": 1}, conflict="replace").run(admin)

user = r.connect(host=host, port=port, user="tls_user", password="pw", ssl=ssl, timeout=5)
try:
    r.table("tlsdemo").count().run(user)
    check("a user without permissions cannot read", False)
except ReqlPermissionError as error:
    check("a user without permissions cannot read",
          str(error).startswith("User `tls_user` does not have the required `read` permission"), str(error))

granted = r.table("tlsdemo").grant("tls_user", {"read": True}).run(admin)
check("grant on a table reports the change",
      granted == {"granted": 1, "permissions_changes": [{"old_val": None, "new_val": {"read": True}}]}, granted)
check("the user reads what was granted", r.table("tlsdemo").count().run(user) == 1)
try:
    r.table("tlsdemo").insert({"id": 2}).run(user)
    check("reading does not allow writing", False)
except ReqlPermissionError as error:
    check("reading does not allow writing", "`write` permission" in str(error), str(error))

rows = list(r.db("rethinkdb").table("permissions").filter({"user": "tls_user"}).run(admin))
check("rethinkdb.permissions shows the grant",
      any(row.get("table") == "tlsdemo" and row["permissions"] == {"read": True} for row in rows), rows)

r.db("rethinkdb").table("users").get("tls_user").delete().run(admin)
user.close()
admin.close()
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
