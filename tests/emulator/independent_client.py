#!/usr/bin/env python3
"""An independent Discord gateway client, written from the protocol alone (standard library only:
raw sockets, hand-written RFC 6455 framing, the zlib module). It starts gatescope-emulator,
identifies, heartbeats, receives MESSAGE_CREATE in both compression modes, drops TCP, resumes on
the resume URL and checks that no sequence number was lost.

Usage: independent_client.py PATH_TO_GATESCOPE_EMULATOR
Exit status 0 on success; 1 with a reason on stderr otherwise."""

import base64
import json
import os
import socket
import struct
import subprocess
import sys
import time
import zlib
from urllib.parse import urlparse

TOKEN = "independent-token"
INTENTS = (1 << 0) | (1 << 9) | (1 << 12) | (1 << 15)  # GUILDS, GUILD_MESSAGES, DMS, CONTENT
TIMEOUT = 15.0


class Failure(Exception):
    pass


class WebSocket:
    """A minimal RFC 6455 client: masked frames out, fragmented messages in, ping/pong."""

    def __init__(self, url, compress):
        parsed = urlparse(url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port), timeout=TIMEOUT)
        path = (parsed.path or "/") + "?" + parsed.query
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\nHost: {parsed.hostname}:{parsed.port}\r\n"
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise Failure("connection closed during the WebSocket handshake")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise Failure("handshake refused: " + head.split(b"\r\n")[0].decode(errors="replace"))
        self.compress = compress
        self.inflater = zlib.decompressobj() if compress else None
        self.zbuffer = b""
        self.close_code = None

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Failure("connection closed by the server")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _frame(self):
        b0, b1 = self._read(2)
        fin, opcode, length = b0 & 0x80, b0 & 0x0F, b1 & 0x7F
        if b1 & 0x80:
            raise Failure("the server masked a frame")
        if length == 126:
            length = struct.unpack(">H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._read(8))[0]
        return fin, opcode, self._read(length)

    def send_frame(self, opcode, payload):
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def message(self):
        """The next whole WebSocket message as (opcode, bytes)."""
        parts, first = [], None
        while True:
            fin, opcode, data = self._frame()
            if opcode == 0x9:
                self.send_frame(0xA, data)
                continue
            if opcode == 0xA:
                continue
            if opcode == 0x8:
                self.close_code = struct.unpack(">H", data[:2])[0] if len(data) >= 2 else 1005
                raise Failure(f"server closed with {self.close_code}: {data[2:].decode(errors='replace')}")
            if opcode != 0x0:
                first = opcode
            parts.append(data)
            if fin:
                return first, b"".join(parts)

    def payload(self):
        """The next gateway payload as a dict (inflating zlib-stream when asked for)."""
        while True:
            opcode, data = self.message()
            if not self.compress:
                if opcode != 0x1:
                    raise Failure("binary message without compression")
                return json.loads(data.decode("utf-8"))
            if opcode != 0x2:
                raise Failure("text message in zlib-stream mode")
            self.zbuffer += data
            if not self.zbuffer.endswith(b"\x00\x00\xff\xff"):
                continue
            raw = self.inflater.decompress(self.zbuffer)
            self.zbuffer = b""
            return json.loads(raw.decode("utf-8"))

    def send_json(self, obj):
        self.send_frame(0x1, json.dumps(obj).encode())

    def close(self, code):
        self.send_frame(0x8, struct.pack(">H", code))
        self.sock.close()

    def drop(self):
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


class Client:
    def __init__(self, compress):
        self.compress = compress
        self.last_seq = None
        self.seqs = []
        self.messages = 0
        self.acks = 0
        self.interval = None
        self.next_beat = 0.0

    def query(self):
        return "v=10&encoding=json" + ("&compress=zlib-stream" if self.compress else "")

    def hello(self, ws):
        hello = ws.payload()
        if hello.get("op") != 10 or not isinstance(hello["d"].get("heartbeat_interval"), int):
            raise Failure(f"expected Hello first, got {hello}")
        self.interval = hello["d"]["heartbeat_interval"] / 1000.0
        self.next_beat = time.monotonic() + self.interval * 0.5

    def beat_if_due(self, ws):
        if time.monotonic() >= self.next_beat:
            ws.send_json({"op": 1, "d": self.last_seq})
            self.next_beat = time.monotonic() + self.interval

    def handle(self, ws, p):
        op = p.get("op")
        if op == 11:
            self.acks += 1
        elif op == 1:
            ws.send_json({"op": 1, "d": self.last_seq})
        elif op == 0:
            s = p["s"]
            if self.last_seq is not None and s != self.last_seq + 1:
                raise Failure(f"sequence gap: {self.last_seq} then {s} ({p['t']})")
            self.last_seq = s
            self.seqs.append(s)
            if p["t"] == "MESSAGE_CREATE":
                self.messages += 1
                if "id" not in p["d"] or "channel_id" not in p["d"]:
                    raise Failure("MESSAGE_CREATE without id/channel_id")
        elif op in (7, 9):
            raise Failure(f"unexpected op {op}")
        return p

    def until(self, ws, predicate, what):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            self.beat_if_due(ws)
            p = self.handle(ws, ws.payload())
            if predicate(p):
                return p
        raise Failure(f"timed out waiting for {what}")

    def run(self, gateway):
        mode = "zlib-stream" if self.compress else "none"
        for attempt in range(3):
            ws = WebSocket(gateway + "/?" + self.query(), self.compress)
            self.hello(ws)
            ws.send_json({"op": 2, "d": {"token": TOKEN, "intents": INTENTS,
                                         "properties": {"os": "linux", "browser": "indep",
                                                        "device": "indep"}}})
            first = ws.payload()
            if first.get("op") == 9 and first.get("d") is False:
                # One Identify per concurrency bucket per 5 s: wait and start over, as bots must.
                ws.close(1000)
                time.sleep(5.5)
                continue
            self.handle(ws, first)
            break
        else:
            raise Failure("Identify refused three times")
        ready = first if first.get("t") == "READY" else self.until(
            ws, lambda p: p.get("t") == "READY", "READY")
        if ready["s"] != 1:
            raise Failure(f"READY has s={ready['s']}, expected 1")
        session_id = ready["d"]["session_id"]
        resume_url = ready["d"]["resume_gateway_url"]
        if resume_url.rstrip("/") == gateway.rstrip("/"):
            raise Failure("resume_gateway_url equals the gateway URL")
        self.until(ws, lambda p: self.messages >= 20, "20 MESSAGE_CREATE")
        # Make sure at least one heartbeat was answered before dropping the connection.
        self.next_beat = 0
        self.until(ws, lambda p: p.get("op") == 11, "a heartbeat ACK")
        before_drop = self.last_seq
        ws.drop()
        time.sleep(0.5)  # events keep flowing into the session while we are away

        ws = WebSocket(resume_url + "?" + self.query(), self.compress)
        self.hello(ws)
        ws.send_json({"op": 6, "d": {"token": TOKEN, "session_id": session_id, "seq": self.last_seq}})
        resumed = self.until(ws, lambda p: p.get("t") == "RESUMED", "RESUMED")
        replayed = resumed["s"] - before_drop - 1
        if replayed <= 0:
            raise Failure("nothing was replayed although events kept flowing")
        target = self.messages + 10
        self.until(ws, lambda p: self.messages >= target, "live events after RESUMED")
        ws.close(1000)
        expected = list(range(1, self.last_seq + 1))
        if self.seqs != expected:
            raise Failure("sequence numbers are not exactly 1..N")
        print(f"{mode}: {self.messages} MESSAGE_CREATE, {self.acks} ACKs, replayed {replayed}, "
              f"last s={self.last_seq}, no gaps")


def start_emulator(path, extra):
    emulator = subprocess.Popen(
        [path, "--port", "0", "--rate", "200", "--heartbeat-interval", "500",
         "--token", TOKEN, "--seed", "7"] + extra,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    gateway = emulator.stdout.readline().strip()
    api = emulator.stdout.readline().strip()
    if not gateway.startswith("gateway: ws://") or not api.startswith("api: http://"):
        emulator.terminate()
        raise Failure(f"unexpected start lines: {gateway!r} {api!r}")
    return emulator, gateway[len("gateway: "):]


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    # One emulator per run, so each run is a first Identify (no concurrency wait).
    runs = [(False, []), (True, []), (True, ["--split-frames"])]
    try:
        for compress, extra in runs:
            emulator, gateway = start_emulator(sys.argv[1], extra)
            try:
                if extra:
                    print("with " + " ".join(extra) + ":")
                Client(compress=compress).run(gateway)
            finally:
                emulator.terminate()
                emulator.wait(5)
        print("independent client: OK")
        return 0
    except (Failure, OSError, ValueError, KeyError) as error:
        print(f"independent client: FAILED: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
