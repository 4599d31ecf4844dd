"""Sends thousands of queries and never reads their answers, then reports the server's memory.

    python3 serve_unread_answers.py HOST:PORT SERVER_PID COUNT

Connects with the official driver, stores one document of 100 KB, then writes COUNT
`r.table("unread").get("big")` queries straight onto the driver's socket without reading a
byte of the answers (a stuck or malicious client). Prints `RSS <before> <after>` in KiB: the
server's resident memory before the queries, and its peak two seconds after they were sent.
"""
import json
import struct
import sys
import time

from rethinkdb import r


def rss_kib(pid, field="VmRSS"):
    with open("/proc/%s/status" % pid) as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


host, port = sys.argv[1].split(":")
pid, count = sys.argv[2], int(sys.argv[3])
conn = r.connect(host, int(port))
r.db("test").table_create("unread").run(conn)
r.table("unread").insert({"id": "big", "pad": "x" * 100_000}).run(conn)
time.sleep(0.5)
before = rss_kib(pid)
sock = conn._instance._socket._socket
# [START, r.table("unread").get("big"), {}]: TABLE is term 15, GET is 16.
query = json.dumps([1, [16, [[15, ["unread"]], "big"]], {}]).encode()
frames = b"".join(struct.pack("<QL", 1000 + token, len(query)) + query for token in range(count))
sock.setblocking(True)
sock.settimeout(1)
sent = 0
try:
    while sent < len(frames):
        sent += sock.send(frames[sent:sent + 65536])
except OSError:
    pass  # the server stopped reading, as it should: the socket buffers are full
peak = before
deadline = time.monotonic() + 2
while time.monotonic() < deadline:
    peak = max(peak, rss_kib(pid))
    time.sleep(0.05)
print("RSS %d %d SENT %d" % (before, peak, sent), flush=True)
