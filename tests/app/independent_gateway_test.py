#!/usr/bin/env python3
"""Run `gatescope --headless` against independent_gateway.py, a gateway we did not write in C++.

Usage: independent_gateway_test.py PATH/TO/gatescope

For zlib-stream and no compression, each with sequences starting at 0 and at 1, it checks exit
code 0, the last stdout line being JSON with "messages": N, exactly N " MESSAGE_CREATE " lines,
a 1000 close seen by the server, no protocol violation seen by the server, and the token absent
from every output. A wrong token must give exit code 3, a one-line explanation mentioning the
token on stderr, and no second connection. Standard library only.
"""

import json
import os
import pathlib
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
SERVER = HERE / "independent_gateway.py"
N = 20
EXTRA = 6
# Short enough that every ACK variant the server rotates through ({"d":{}}, "d":null, no "d") is
# followed by another beat within the run: a client that did not count one of them as an ACK
# would take the next beat for a zombie connection, close with a non-1000 code and try to resume.
HEARTBEAT_MS = 250
MESSAGE_GAP_MS = 50
# Shaped like a real bot token (id . timestamp . HMAC), so a partial leak is recognisable too.
TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GxYz12.indepSecretPartQwErTy0123456789abcdEFGH"
TOKEN_SECRET = TOKEN.rsplit(".", 1)[1]
WRONG_TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GxYz12.wrongSecretPartZzZz9876543210zyxwVUTS"


class Server:
    """The independent gateway as a child process, its stdout drained by a thread."""

    def __init__(self, token_file, extra_args):
        self.lines = []
        self._queue = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), "--token-file", str(token_file)] + extra_args,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        threading.Thread(target=self._drain, daemon=True).start()
        first = self._queue.get(timeout=10)
        if first is None or not first.startswith("gateway: ws://127.0.0.1:"):
            raise RuntimeError(f"the server did not announce itself: {first!r}")
        self.url = first.split(" ", 1)[1]

    def _drain(self):
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            self._queue.put(line)
        self._queue.put(None)

    def finish(self, grace_s):
        """Wait for the server to exit by itself, else stop it; return its result summary."""
        try:
            self.process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            self.process.wait(timeout=5)
        time.sleep(0.05)  # let the drain thread take the last line
        results = [l for l in self.lines if l.startswith("result: ")]
        return json.loads(results[-1][len("result: "):]) if results else None


class Case:
    def __init__(self, name):
        self.name = name
        self.failures = []

    def check(self, condition, what):
        if not condition:
            self.failures.append(what)
        return condition


def run_case(binary, workdir, name, compress, seq_start, token_in_file, expect_auth_failure=False):
    case = Case(name)
    expected_file = workdir / f"{name}.expected"
    expected_file.write_text(TOKEN + "\n")
    client_file = workdir / f"{name}.token"
    client_file.write_text(token_in_file + "\n")
    server = Server(expected_file, ["--messages", str(N + EXTRA), "--seq-start", str(seq_start),
                                    "--zlib-level", "9" if seq_start == 0 else "6",
                                    "--heartbeat-interval", str(HEARTBEAT_MS),
                                    "--message-gap-ms", str(MESSAGE_GAP_MS),
                                    "--seed", str(7 + seq_start), "--timeout", "12"])
    command = [str(binary), "--headless", "--gateway-url", server.url, "--token-file",
               str(client_file), "--exit-after-messages", str(N), "--stats-json"]
    if compress == "none":
        command += ["--compress", "none"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DISCORD_TOKEN", None)
    started = time.monotonic()
    try:
        client = subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                                errors="replace", timeout=10, env=env)
        code, out, err = client.returncode, client.stdout, client.stderr
    except subprocess.TimeoutExpired as timeout:
        code = "timeout after 10 s"
        out = (timeout.stdout or b"").decode("utf-8", "replace")
        err = (timeout.stderr or b"").decode("utf-8", "replace")
    took = time.monotonic() - started
    result = server.finish(grace_s=0.5 if expect_auth_failure else 3)
    case.check(result is not None, "the server printed no result line")
    connections = (result or {}).get("connections", [])
    first = connections[0] if connections else {}

    for secret in {TOKEN, TOKEN_SECRET, token_in_file, token_in_file.rsplit(".", 1)[-1]}:
        case.check(secret not in out and secret not in err, "the token appears in gatescope output")
    case.check(len(connections) == 1,
               f"expected exactly 1 connection, the server saw {len(connections)}")
    expected_query = {"v": "10", "encoding": "json"}
    if compress == "zlib-stream":
        expected_query["compress"] = "zlib-stream"
    query = first.get("query", {})
    case.check(all(query.get(k) == v for k, v in expected_query.items())
               and (compress == "zlib-stream" or "compress" not in query),
               f"query {query} does not match {expected_query}")
    identify = first.get("identify") or {}
    case.check(identify and not identify.get("bot_prefix"),
               f"Identify missing or token with a 'Bot ' prefix: {identify}")

    if expect_auth_failure:
        case.check(code == 3, f"exit code {code}, expected 3 (authentication failed)")
        case.check(first.get("server_close") == 4004, f"server close {first.get('server_close')}")
        explained = [l for l in err.splitlines() if "token" in l.lower()
                     and re.search(r"4004|wrong|invalid|rejected|reset", l, re.IGNORECASE)]
        case.check(bool(explained), "no stderr line explains that the token was rejected")
        case.check(not first.get("violations"), f"server saw violations: {first.get('violations')}")
    else:
        case.check(code == 0, f"exit code {code}, expected 0")
        lines = out.splitlines()
        stats = None
        try:
            stats = json.loads(lines[-1]) if lines else None
        except ValueError:
            pass
        case.check(isinstance(stats, dict) and stats.get("messages") == N,
                   f"last stdout line is not JSON with \"messages\": {N}: "
                   f"{lines[-1] if lines else '<no output>'!r}")
        stats = stats if isinstance(stats, dict) else {}
        keys = {"messages", "dispatches", "last_seq", "identifies", "resumes", "reconnects",
                "bytes_in", "elapsed_s", "ingest_s", "state"}
        case.check(keys <= stats.keys(), f"stats JSON lacks {sorted(keys - stats.keys())}")
        case.check((stats.get("identifies"), stats.get("resumes"), stats.get("reconnects"))
                   == (1, 0, 0), f"stats: one Identify and no resume or reconnect expected: {stats}")
        # READY, SOMETHING_NEW and GUILD_CREATE come before the N messages, in order.
        case.check(isinstance(stats.get("dispatches"), int) and stats["dispatches"] >= N + 3,
                   f"stats dispatches {stats.get('dispatches')} < {N + 3}")
        case.check(isinstance(stats.get("last_seq"), int)
                   and stats["last_seq"] >= seq_start + N + 2,
                   f"stats last_seq {stats.get('last_seq')} < {seq_start + N + 2}")
        case.check(any(f" #{seq_start + 1} SOMETHING_NEW" in l for l in lines),
                   f"no line '#{seq_start + 1} SOMETHING_NEW' for the unknown event")
        # A guild id above 2^53 printed digit for digit: it never went through a double.
        guild = first.get("guild_id")
        case.check(any(f" #{seq_start + 2} GUILD_CREATE id={guild}" in l for l in lines),
                   f"no '#{seq_start + 2} GUILD_CREATE' line with the exact id {guild}")
        count = sum(1 for l in lines if " MESSAGE_CREATE " in l)
        case.check(count == N, f"{count} ' MESSAGE_CREATE ' lines on stdout, expected {N}")
        case.check(first.get("client_close") == 1000,
                   f"client close code {first.get('client_close')}, expected 1000")
        case.check(identify.get("token_ok"), "Identify carried the wrong token")
        case.check(first.get("op1_reply_seq") == seq_start,
                   f"no heartbeat with d={seq_start} answered the op 1 sent after READY "
                   f"s={seq_start}; heartbeats {first.get('heartbeats')}")
        case.check(not first.get("violations"), f"server saw violations: {first.get('violations')}")
        case.check(len(first.get("heartbeats") or []) >= 4,
                   f"only {len(first.get('heartbeats') or [])} heartbeats: not every ACK variant "
                   "was followed by another beat")
        # The server must really have exercised buffering, fragments and control frames.
        if compress == "zlib-stream":
            case.check(first.get("payloads_split", 0) > 0, "no zlib payload was split")
        case.check(first.get("messages_fragmented", 0) > 0, "no message was fragmented")
        case.check("indep-ping-0" in first.get("pongs", []),
                   f"no pong for the ping sent between fragments: pongs {first.get('pongs')}")
        case.check(first.get("messages_sent", 0) >= N,
                   f"the server sent only {first.get('messages_sent')} messages")
    status = "PASS" if not case.failures else "FAIL"
    print(f"{status} {name}: exit {code}, {took:.2f} s, server close "
          f"{first.get('server_close')}, client close {first.get('client_close')}, "
          f"heartbeats {first.get('heartbeats')}, {first.get('ws_frames_sent')} frames, "
          f"{first.get('payloads_split')} split payloads, {first.get('messages_fragmented')} "
          f"fragmented messages, zlib header {first.get('zlib_header')}", flush=True)
    if case.failures:
        for failure in case.failures:
            print(f"  - {failure}")
        print("  --- gatescope stdout (last 15 lines)")
        print("\n".join("    " + l for l in out.splitlines()[-15:]))
        print("  --- gatescope stderr (last 25 lines)")
        print("\n".join("    " + l for l in err.splitlines()[-25:]))
        print("  --- server log (last 40 lines)")
        print("\n".join("    " + l[:400] for l in server.lines[-40:]))
    return not case.failures


def main():
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    binary = pathlib.Path(sys.argv[1])
    if not os.access(binary, os.X_OK):
        print(f"{binary} is not an executable", file=sys.stderr)
        return 2
    started = time.monotonic()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(tmp)
        for compress in ("zlib-stream", "none"):
            for seq_start in (0, 1):
                # One run writes the token as "Bot <token>": Identify must still carry it bare.
                in_file = ("Bot " + TOKEN) if (compress, seq_start) == ("none", 1) else TOKEN
                ok &= run_case(binary, workdir, f"{compress}-seq{seq_start}", compress, seq_start,
                               in_file)
        ok &= run_case(binary, workdir, "wrong-token", "zlib-stream", 1, WRONG_TOKEN,
                       expect_auth_failure=True)
    print(f"{'all passed' if ok else 'FAILED'} in {time.monotonic() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
