#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus into Fuzz/corpus/{json,protocol}/ (committed; rerun after
changing the seeds). The protocol seeds include a complete, valid SCRAM-SHA-256 handshake for
the fixed salt and nonce bytes the harness uses (ProtocolFuzzCheck.random: bytes 0...31), so
the fuzzer starts past authentication and reaches the frame decoder.

    python3 Fuzz/make_corpus.py
"""
import base64
import hashlib
import hmac
import json
import os
import struct

root = os.path.dirname(os.path.abspath(__file__))


def write(kind, name, data):
    directory = os.path.join(root, "corpus", kind)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


json_seeds = {
    "object": b'{"id": 1, "superhero": "Iron Man", "superpower": "Arc Reactor"}',
    "array": b'[{"superhero": "Wolverine"}, {"id": "spidey", "powers": ["web", 2.5, -0.0, 1e300]}]',
    "nested": b'{"a": {"b": {"c": [1, [2, [3, {"d": null}]]]}}, "t": true, "f": false}',
    "escapes": b'{"s": "\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00 \\u0000"}',
    "unicode": '{"name": "é 😀 中文", "id": ["k", 1]}'.encode(),
    "numbers": b'[{"n": [0, -1, 1.5, 12345678901234567890, 1e-7, -2E+3, 0.1]}]',
    "keys": b'{"id": {"$reql_type$": "TIME", "epoch_time": 1, "timezone": "+00:00"}}',
    "unsorted": b'{"z": 1, "a": 2, "m": {"y": 1, "b": 2}, "id": "x"}',
    "duplicate": b'{"a": 1, "a": 2}',
    "nan": b'{"a": NaN, "b": -Infinity}',
    "bad-utf8": b'{"s": "a\xff\xc3(\xed\xa0\x80"}',
    "surrogate": b'{"s": "\\ud800 \\udc00"}',
    "ndjson": b'{"id": 1}\n{"id": 2}\n\n  {"id": 3}  \n',
    "deep": b"[" * 50 + b"]" * 50,
    "syntax": b'{"a": [1, 2,, 3]}',
    "scalar": b"42",
}
for name, data in json_seeds.items():
    write("json", name, data)


def frame(token, payload):
    data = payload.encode() if isinstance(payload, str) else payload
    return struct.pack("<QI", token, len(data)) + data


MAGIC = bytes([0xC3, 0xBD, 0xC2, 0x34])
FIXED = bytes(range(32))
PASSWORD = b"fuzz-password"
salt = FIXED[:16]
server_nonce_part = base64.b64encode(FIXED[:18]).decode()
client_nonce = "fyko+d2lbbFgONRv9qkxdawL"
client_first_bare = "n=admin,r=" + client_nonce
nonce = client_nonce + server_nonce_part
server_first = "r=%s,s=%s,i=4096" % (nonce, base64.b64encode(salt).decode())
without_proof = "c=biws,r=" + nonce
salted = hashlib.pbkdf2_hmac("sha256", PASSWORD, salt, 4096)
client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
stored_key = hashlib.sha256(client_key).digest()
auth_message = ",".join([client_first_bare, server_first, without_proof]).encode()
signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
proof = base64.b64encode(bytes(a ^ b for a, b in zip(client_key, signature))).decode()


def message(obj):
    return json.dumps(obj, separators=(",", ":")).encode() + b"\0"


hello = message({"protocol_version": 0, "authentication_method": "SCRAM-SHA-256", "authentication": "n,," + client_first_bare})
final = message({"authentication": without_proof + ",p=" + proof})
queries = (frame(1, '[1,[15,[[14,["test"]],"marvel"]],{}]') + frame(2, "[2]") + frame(3, "[3]") + frame(4, "[4]")
           + frame(5, "[5]") + frame(6, '[1,[56,[[15,["t"]],{"id":1}]],{"durability":"soft"}]') + frame(7, "not json")
           + frame(8, "[9]") + frame(9, b"[1,\xff]"))

# First byte: bit 7 clear = handshake first; the rest seeds how the stream is cut.
write("protocol", "handshake-then-queries", b"\x01" + MAGIC + hello + final + queries)
write("protocol", "handshake-split-hello", b"\x07" + MAGIC + hello[:10] + hello[10:] + final + frame(1, "[5]"))
write("protocol", "wrong-password", b"\x02" + MAGIC + hello + message({"authentication": without_proof + ",p=" + base64.b64encode(bytes(32)).decode()}))
write("protocol", "unknown-user", b"\x03" + MAGIC + message({"protocol_version": 0, "authentication_method": "SCRAM-SHA-256", "authentication": "n,,n=bob,r=abc"}))
write("protocol", "old-magic", b"\x04" + bytes([0x20, 0x2D, 0x0C, 0x40]) + b"\0\0\0\0")
write("protocol", "bad-hello", b"\x05" + MAGIC + b'{"protocol_version": 1}\0')
write("protocol", "no-terminator", b"\x06" + MAGIC + b"{" * 300)
# First byte with bit 7 set: frames directly.
write("protocol", "frames", b"\x81" + queries)
write("protocol", "oversized", b"\x82" + frame(1, "[5]") + struct.pack("<QI", 2, 0xFFFFFFFF) + b"junk")
write("protocol", "partial", b"\x83" + frame(1, "[5]")[:-1])
