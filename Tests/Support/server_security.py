#!/usr/bin/env python3
"""Security checks against a running `docstore serve --password-file F --max-connections N`:
wrong passwords and unknown users are refused, the connection limit holds (and frees up), and
one connection's bad input (an oversized query header, garbage before or after the handshake,
a handshake that never ends) closes or fails that connection only, while another connection
keeps answering.

    python3 server_security.py HOST:PORT PASSWORD MAX_CONNECTIONS

It prints `PROOF <base64>` for every SCRAM proof it sent (the caller checks none reaches the
server's log) and ends with `N passed, N failed`.
"""
import base64
import hashlib
import hmac
import json
import os
import socket
import struct
import sys
import threading
import time

from rethinkdb import r
from rethinkdb.errors import ReqlAuthError, ReqlDriverError

host, port = sys.argv[1].rsplit(":", 1)
port = int(port)
password = sys.argv[2]
limit = int(sys.argv[3])
MAGIC = bytes([0xC3, 0xBD, 0xC2, 0x34])
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
    print(("ok    " if condition else "FAIL  ") + name + ("" if condition or not detail else "  " + repr(detail)[:300]))
    sys.stdout.flush()


pending = {}


def read_until_nul(sock):
    """One NUL-terminated handshake message (the server may send two in one packet)."""
    data = pending.pop(sock, b"")
    while b"\0" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk
    message, rest = data.split(b"\0", 1)
    if rest:
        pending[sock] = rest
    return message + b"\0"


def raw_connect(user="admin", secret=None):
    """A socket past the V1_0 handshake, by hand: the driver hides its socket."""
    secret = password if secret is None else secret
    sock = socket.create_connection((host, port), timeout=10)
    client_nonce = base64.b64encode(os.urandom(18)).decode()
    first_bare = "n=%s,r=%s" % (user, client_nonce)
    hello = {"protocol_version": 0, "authentication_method": "SCRAM-SHA-256", "authentication": "n,," + first_bare}
    sock.sendall(MAGIC + json.dumps(hello).encode() + b"\0")
    read_until_nul(sock)  # server hello
    server_first = json.loads(read_until_nul(sock)[:-1])
    if not server_first.get("success"):
        return sock, server_first
    attributes = dict(item.split("=", 1) for item in server_first["authentication"].split(","))
    salted = hashlib.pbkdf2_hmac("sha256", secret.encode(), base64.b64decode(attributes["s"]), int(attributes["i"]))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    without_proof = "c=biws,r=" + attributes["r"]
    auth_message = ",".join([first_bare, server_first["authentication"], without_proof]).encode()
    signature = hmac.new(hashlib.sha256(client_key).digest(), auth_message, hashlib.sha256).digest()
    proof = base64.b64encode(bytes(a ^ b for a, b in zip(client_key, signature))).decode()
    print("PROOF " + proof)
    sock.sendall(json.dumps({"authentication": without_proof + ",p=" + proof}).encode() + b"\0")
    return sock, json.loads(read_until_nul(sock)[:-1] or b"{}")


def frame(token, payload):
    return struct.pack("<QI", token, len(payload)) + payload


def read_frame(sock):
    header = b""
    while len(header) < 12:
        chunk = sock.recv(12 - len(header))
        if not chunk:
            return None
        header += chunk
    token, length = struct.unpack("<QI", header)
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            return None
        body += chunk
    return token, json.loads(body)


def closed_by_server(sock, wait=5):
    sock.settimeout(wait)
    try:
        while True:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def driver():
    return r.connect(host=host, port=port, password=password)


# Passwords.
try:
    r.connect(host=host, port=port, password=password + "x")
    check("a wrong password is refused", False)
except ReqlAuthError as error:
    check("a wrong password is refused", "Wrong password" in str(error), str(error))
try:
    r.connect(host=host, port=port, user="nobody", password=password)
    check("an unknown user is refused", False)
except ReqlAuthError as error:
    check("an unknown user is refused", "Unknown user" in str(error), str(error))
sock, reply = raw_connect(secret="not-" + password)
check("a forged SCRAM proof is refused with code 12", reply.get("error_code") == 12, reply)
check("... and that connection is closed", closed_by_server(sock))
watcher = driver()
check("the right password connects", r.expr(1).run(watcher) == 1)

# The connection limit: `limit` connections in all, the watcher included.
held = [driver() for _ in range(limit - 1)]
try:
    extra = driver()
    extra_works = r.expr(1).run(extra) == 1
except (ReqlDriverError, OSError):
    extra_works = False
check("connection %d is refused beyond --max-connections %d" % (limit + 1, limit), not extra_works)
held.pop().close()
recovered = False
for _ in range(50):
    try:
        again = driver()
        recovered = r.expr(1).run(again) == 1
        held.append(again)
        break
    except (ReqlDriverError, OSError):
        time.sleep(0.1)
check("closing one lets a new connection in", recovered)
for conn in held:
    conn.close()
time.sleep(0.3)

# Bad input on one connection while another keeps working.
stop = threading.Event()
results = []


def keep_querying():
    conn = driver()
    while not stop.is_set():
        results.append(r.expr([1, "two"]).run(conn) == [1, "two"])
    conn.close()


thread = threading.Thread(target=keep_querying)
thread.start()

sock, reply = raw_connect()
check("a raw client authenticates", reply.get("success") is True, reply)
sock.sendall(struct.pack("<QI", 7, 0xFFFFFFFF) + b"x" * 100)
answer = read_frame(sock)
check("an oversized query header gets CLIENT_ERROR", answer is not None and answer[1].get("t") == 16
      and answer[1]["r"] == ["Query size (4294967295) greater than maximum (134217727)."], answer)
check("... and only that connection is closed", closed_by_server(sock))

sock, reply = raw_connect()
sock.sendall(frame(1, b"this is not JSON"))
answer = read_frame(sock)
check("a payload that is not JSON gets CLIENT_ERROR", answer is not None and answer[1].get("t") == 16, answer)
sock.sendall(frame(2, b"[1,1,{}]"))
answer = read_frame(sock)
check("... and the same connection still answers", answer is not None and answer[0] == 2, answer)
sock.sendall(os.urandom(65536))
sock.close()

sock = socket.create_connection((host, port), timeout=10)
sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
check("garbage instead of the magic number is refused", b"unsupported protocol version" in read_until_nul(sock).lower())
check("... and that connection is closed", closed_by_server(sock))

sock = socket.create_connection((host, port), timeout=10)
sock.sendall(MAGIC + b"{" * 4096)
reply = read_until_nul(sock) + read_until_nul(sock)  # the server hello, then the error
check("a handshake message over 2048 bytes is refused (code 7)", b'"error_code":7' in reply, reply[-200:])

stalled = socket.create_connection((host, port), timeout=10)
stalled.sendall(MAGIC)  # and never the rest
time.sleep(0.5)
stop.set()
thread.join(30)
check("the other connection answered every query meanwhile (%d)" % len(results), len(results) > 10 and all(results))
check("a stalled handshake does not stop new clients", r.expr(2).run(driver()) == 2)
stalled.close()

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
