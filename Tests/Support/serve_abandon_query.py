"""Starts a query that would run for hours, then vanishes without a word.

    python3 serve_abandon_query.py HOST:PORT LEAVE_FILE

Connects with the official driver, sends `r.range(10**13).count()` from a background thread,
prints STARTED once the query is on the wire, and exits with os._exit once LEAVE_FILE exists
(the test creates it when it has seen the server busy), so the socket closes as when a client
crashes: no STOP, no close handshake. The test then watches the server's CPU time.
"""
import os
import sys
import threading
import time

from rethinkdb import r

host, port = sys.argv[1].split(":")
conn = r.connect(host, int(port))
query = r.range(10 ** 13).count()
threading.Thread(target=lambda: query.run(conn), daemon=True).start()
time.sleep(0.2)
print("STARTED", flush=True)
deadline = time.monotonic() + 60
while not os.path.exists(sys.argv[2]) and time.monotonic() < deadline:
    time.sleep(0.01)
os._exit(0)
