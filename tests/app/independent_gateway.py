#!/usr/bin/env python3
"""An independent Discord-compatible gateway, for testing `gatescope --headless`.

Written from the protocol reference (shared/protocol/gateway.md, sections 1-9) and RFC 6455 only,
with the Python standard library, so that a bug shared with our own C++ emulator cannot hide here.
It serves one session per connection on 127.0.0.1 and is deliberately strict about what the client
sends (masking, opcodes, heartbeat sequence, Identify shape) while exercising what real servers
do within the protocol: a sequence that starts at 0 (or 1), READY without `shard`, unknown fields
and events, `{"op":11,"d":{}}` ACKs, zlib-stream payloads split across several WebSocket messages,
messages fragmented across several frames with a ping between the fragments.

Output (stdout, line by line, flushed):
    gateway: ws://127.0.0.1:PORT          first line, once listening
    [conn N] ...                          what the client sent and what the server did
    result: {...}                         last line: a JSON summary (see Summary.to_json)
Exit status: 0 when a client closed with 1000 and no protocol violation was seen, 1 otherwise,
2 on timeout without a 1000 close.
"""

import argparse
import asyncio
import base64
import datetime
import hashlib
import json
import random
import re
import signal
import sys
import urllib.parse
import zlib

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
DISCORD_EPOCH_MS = 1420070400000
MAX_CLIENT_PAYLOAD = 4096
# Every documented intent bit (gateway.md section 4, "all documented").
DOCUMENTED_INTENTS = 53608447

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def log(line):
    print(line, flush=True)


def snowflake(ms, worker=1, process=0, increment=0):
    return str(((ms - DISCORD_EPOCH_MS) << 22) | (worker << 17) | (process << 12) | increment)


def iso_timestamp(ms):
    moment = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    return moment.isoformat(timespec="microseconds")


def redact(token, text):
    return text.replace(token, "<token>") if token else text


class ProtocolError(Exception):
    """The client broke RFC 6455 or the gateway protocol; carries the close code to send."""

    def __init__(self, code, reason):
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Summary:
    def __init__(self):
        self.connections = []
        self.client_close_1000 = False

    def to_json(self):
        return json.dumps({"connections": self.connections,
                           "client_close_1000": self.client_close_1000})


class Connection:
    """One WebSocket connection: RFC 6455 framing, then one gateway session."""

    def __init__(self, server, index, reader, writer):
        self.server = server
        self.args = server.args
        self.index = index
        self.reader = reader
        self.writer = writer
        self.rng = random.Random(self.args.seed * 1000 + index)
        self.compressor = None
        self.closed = False
        self.close_sent = False
        self.seq = None  # last sequence number sent
        self.identified = asyncio.get_running_loop().create_future()
        self.beat_with_seq = asyncio.Event()
        self.expected_beat_seq = None
        self.last_beat_seq = None
        self.acks_sent = 0
        self.pings_sent = []
        self.session_task = None
        self.info = {
            "index": index, "path": None, "query": {}, "user_agent": None,
            "identify": None, "heartbeats": [], "op1_reply_seq": None, "pongs": [],
            "messages_sent": 0, "dispatches_sent": 0, "server_close": None,
            "ws_frames_sent": 0, "payloads_split": 0, "messages_fragmented": 0, "pings_sent": 0,
            "zlib_header": None,
            "client_close": None, "client_close_reason": None, "violations": [],
        }

    def say(self, line):
        log(f"[conn {self.index}] {redact(self.args.token, line)}")

    def violation(self, text):
        self.info["violations"].append(redact(self.args.token, text))
        self.say("VIOLATION: " + text)

    # ---- RFC 6455 handshake ------------------------------------------------------------------

    async def handshake(self):
        request = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 5)
        lines = request.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or parts[0] != "GET" or not parts[2].startswith("HTTP/1.1"):
            return self.refuse(400, f"bad request line {lines[0]!r}")
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        target = urllib.parse.urlsplit(parts[1])
        self.info["path"] = target.path
        query = dict(urllib.parse.parse_qsl(target.query, keep_blank_values=True))
        self.info["query"] = query
        self.info["user_agent"] = headers.get("user-agent")
        self.say(f"handshake {parts[1]} User-Agent={headers.get('user-agent')!r}")
        if headers.get("upgrade", "").lower() != "websocket":
            return self.refuse(400, "no Upgrade: websocket")
        if "upgrade" not in [t.strip().lower() for t in headers.get("connection", "").split(",")]:
            return self.refuse(400, "Connection header lacks upgrade")
        if headers.get("sec-websocket-version") != "13":
            return self.refuse(426, "Sec-WebSocket-Version is not 13")
        key = headers.get("sec-websocket-key", "")
        try:
            if len(base64.b64decode(key, validate=True)) != 16:
                raise ValueError
        except ValueError:
            return self.refuse(400, f"bad Sec-WebSocket-Key {key!r}")
        # Some Discord-compatible servers refuse a handshake without a bot User-Agent (issue 2).
        if not re.match(r"^DiscordBot \(\S+, \S+\)", headers.get("user-agent", "")):
            return self.refuse(403, "User-Agent is not of the form 'DiscordBot (url, version)'")
        if query.get("compress") not in (None, "zlib-stream"):
            return self.refuse(400, f"unsupported compress={query.get('compress')}")
        accept = base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest()).decode()
        # No Sec-WebSocket-Extensions: compression is the gateway's business, not the socket's.
        self.writer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\n"
                           f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        if query.get("compress") == "zlib-stream":
            self.compressor = zlib.compressobj(self.args.zlib_level, zlib.DEFLATED, 15)
        return True

    def refuse(self, status, why):
        self.violation(f"handshake refused ({status}): {why}")
        body = why.encode()
        self.writer.write(f"HTTP/1.1 {status} Refused\r\nContent-Length: {len(body)}\r\n"
                          "Connection: close\r\n\r\n".encode() + body)
        return False

    # ---- frames -------------------------------------------------------------------------------

    def write_frame(self, opcode, payload, fin=True):
        if self.closed:
            return
        head = bytearray([(0x80 if fin else 0) | opcode])
        size = len(payload)
        if size < 126:
            head.append(size)
        elif size < 65536:
            head.append(126)
            head += size.to_bytes(2, "big")
        else:
            head.append(127)
            head += size.to_bytes(8, "big")
        self.writer.write(bytes(head) + payload)
        self.info["ws_frames_sent"] += 1

    async def read_frame(self):
        b0, b1 = await self.reader.readexactly(2)
        fin, rsv, opcode = b0 & 0x80, b0 & 0x70, b0 & 0x0F
        masked, size = b1 & 0x80, b1 & 0x7F
        if rsv:
            raise ProtocolError(1002, f"RSV bits {rsv >> 4:03b} set without an extension")
        if not masked:
            raise ProtocolError(1002, "client frame is not masked (RFC 6455 5.1)")
        if size == 126:
            size = int.from_bytes(await self.reader.readexactly(2), "big")
        elif size == 127:
            size = int.from_bytes(await self.reader.readexactly(8), "big")
        if opcode >= 0x8 and (not fin or size > 125):
            raise ProtocolError(1002, "control frame fragmented or longer than 125 bytes")
        if size > 1 << 20:
            raise ProtocolError(1009, f"frame of {size} bytes")
        mask = await self.reader.readexactly(4)
        data = bytearray(await self.reader.readexactly(size))
        for i in range(size):
            data[i] ^= mask[i & 3]
        return bool(fin), opcode, bytes(data)

    async def read_message(self):
        """Return (opcode, payload) of the next data message; control frames are handled here."""
        fragments, message_opcode = [], None
        while True:
            fin, opcode, data = await self.read_frame()
            if opcode == OP_PING:
                self.say(f"client ping {data!r}")
                self.write_frame(OP_PONG, data)
                continue
            if opcode == OP_PONG:
                self.say(f"client pong {data!r}")
                self.info["pongs"].append(data.decode("latin-1"))
                continue
            if opcode == OP_CLOSE:
                return OP_CLOSE, data
            if opcode == OP_CONT:
                if message_opcode is None:
                    raise ProtocolError(1002, "continuation frame without a message to continue")
            elif opcode in (OP_TEXT, OP_BINARY):
                if message_opcode is not None:
                    raise ProtocolError(1002, "new data frame inside a fragmented message")
                message_opcode = opcode
            else:
                raise ProtocolError(1002, f"reserved opcode {opcode:#x}")
            fragments.append(data)
            if sum(map(len, fragments)) > MAX_CLIENT_PAYLOAD:
                raise ProtocolError(4002, "client payload over 4096 bytes")
            if fin:
                return message_opcode, b"".join(fragments)

    def send_close(self, code, reason):
        if self.close_sent or self.closed:
            return
        self.close_sent = True
        self.info["server_close"] = code
        self.say(f"server close {code} {reason}")
        self.write_frame(OP_CLOSE, code.to_bytes(2, "big") + reason.encode())

    # ---- gateway payloads ---------------------------------------------------------------------

    def send_payload(self, payload, fragment=False, ping_inside=False):
        """Send one gateway payload; compression and write happen together, so order is kept."""
        if self.closed or self.close_sent:
            return
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        if self.compressor is None:
            self.write_message(OP_TEXT, raw, fragment, ping_inside)
            return
        data = self.compressor.compress(raw) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
        if self.info["zlib_header"] is None:
            self.info["zlib_header"] = data[:2].hex(" ")
        # A payload may span several WebSocket messages (gateway.md section 9): split the
        # compressed bytes at random offsets into up to max_split binary messages.
        pieces = self.rng.randint(1, self.args.max_split) if len(data) > 8 else 1
        cuts = sorted(self.rng.sample(range(1, len(data)), pieces - 1)) if pieces > 1 else []
        bounds = [0] + cuts + [len(data)]
        self.info["payloads_split"] += pieces > 1
        for a, b in zip(bounds, bounds[1:]):
            self.write_message(OP_BINARY, data[a:b], fragment, ping_inside)

    def write_message(self, opcode, data, fragment, ping_inside):
        if not fragment or len(data) < 3:
            self.write_frame(opcode, data)
            return
        # One message in three frames; for text the cuts may fall inside a UTF-8 sequence,
        # which RFC 6455 allows (only the whole message must be valid UTF-8).
        self.info["messages_fragmented"] += 1
        a = self.rng.randint(1, len(data) - 2)
        b = self.rng.randint(a + 1, len(data) - 1)
        self.write_frame(opcode, data[:a], fin=False)
        if ping_inside:
            token = f"indep-ping-{len(self.pings_sent)}"
            self.pings_sent.append(token)
            self.info["pings_sent"] += 1
            self.write_frame(OP_PING, token.encode())
        self.write_frame(OP_CONT, data[a:b], fin=False)
        self.write_frame(OP_CONT, data[b:])

    def dispatch(self, event, data, **kwargs):
        self.seq = self.args.seq_start if self.seq is None else self.seq + 1
        # Real servers send `t,s,op,d` and occasionally fields nobody documented.
        self.send_payload({"t": event, "s": self.seq, "op": 0, "d": data,
                           "x_unknown_envelope_field": {"ignored": True}}, **kwargs)
        self.info["dispatches_sent"] += 1

    def send_ack(self):
        variants = [{"op": 11, "d": {}},
                    {"t": None, "s": None, "op": 11, "d": None},
                    {"op": 11}]
        self.send_payload(variants[self.acks_sent % len(variants)])
        self.acks_sent += 1

    def on_payload(self, opcode, raw):
        if opcode != OP_TEXT:
            raise ProtocolError(4002, "client sent a binary frame with encoding=json")
        try:
            payload = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ProtocolError(4002, f"client payload is not JSON: {error}")
        if not isinstance(payload, dict) or not isinstance(payload.get("op"), int):
            raise ProtocolError(4002, f"payload without an integer op: {raw[:80]!r}")
        op, d = payload["op"], payload.get("d")
        if op == 1:
            self.on_heartbeat(d)
        elif op == 2:
            self.on_identify(d)
        elif op == 6:
            raise ProtocolError(4003, "Resume for a session this server never issued")
        elif op in (3, 4, 8, 31, 43):
            self.say(f"client op {op} (accepted, ignored)")
            if not self.identified.done():
                raise ProtocolError(4003, f"op {op} before Identify")
        else:
            raise ProtocolError(4001, f"unknown opcode {op}")

    def on_heartbeat(self, d):
        self.say(f"client heartbeat d={json.dumps(d)}")
        self.info["heartbeats"].append(d)
        if d is not None and (not isinstance(d, int) or isinstance(d, bool)):
            self.violation(f"heartbeat d={d!r} is neither null nor an integer")
        elif d is None and self.last_beat_seq is not None:
            self.violation(f"heartbeat d=null after a heartbeat with d={self.last_beat_seq}")
        elif d is not None:
            if self.seq is None or d > self.seq or d < self.args.seq_start:
                self.violation(f"heartbeat d={d} but the sequences sent are "
                               f"{self.args.seq_start}..{self.seq}")
            elif self.last_beat_seq is not None and d < self.last_beat_seq:
                self.violation(f"heartbeat d={d} went back from {self.last_beat_seq}")
            self.last_beat_seq = d
            if self.expected_beat_seq is not None and d == self.expected_beat_seq:
                self.beat_with_seq.set()
        self.send_ack()

    def on_identify(self, d):
        if self.identified.done():
            raise ProtocolError(4005, "second Identify")
        if not isinstance(d, dict):
            raise ProtocolError(4001, "Identify d is not an object")
        token = d.get("token")
        props = d.get("properties")
        intents = d.get("intents")
        shown = dict(d, token="<token>" if token == self.args.token else "<wrong token>")
        self.say(f"client identify {json.dumps(shown)}")
        self.info["identify"] = {
            "token_ok": token == self.args.token,
            "bot_prefix": isinstance(token, str) and token.startswith("Bot "),
            "intents": intents, "properties": props, "shard": d.get("shard"),
            "large_threshold": d.get("large_threshold"),
        }
        if not isinstance(props, dict) or not all(
                isinstance(props.get(k), str) for k in ("os", "browser", "device")):
            self.violation(f"Identify properties {props!r} lack os/browser/device strings")
        if "large_threshold" in d and not (isinstance(d["large_threshold"], int)
                                           and 50 <= d["large_threshold"] <= 250):
            self.violation(f"large_threshold {d['large_threshold']!r} is outside 50..250")
        if not isinstance(intents, int) or isinstance(intents, bool):
            self.identified.set_result(False)
            raise ProtocolError(4013, "Invalid intent(s).")
        if intents & ~DOCUMENTED_INTENTS:
            self.identified.set_result(False)
            raise ProtocolError(4013, "Invalid intent(s).")
        if token != self.args.token:
            self.identified.set_result(False)
            raise ProtocolError(4004, "Authentication failed.")
        self.identified.set_result(True)

    # ---- the session, sent from its own task --------------------------------------------------

    async def session(self):
        now = self.server.start_ms
        self.send_payload({"t": None, "s": None, "op": 10, "d": {
            "heartbeat_interval": self.args.heartbeat_interval,
            "_trace": ['["gateway-independent-py",{"micros":12.0}]']}})
        await self.writer.drain()
        try:
            if not await asyncio.wait_for(self.identified, 10):
                return
        except asyncio.TimeoutError:
            self.violation("no Identify within 10 s of Hello")
            return
        guild_id = snowflake(now - 86_400_000 * 400, increment=1)
        self.info["guild_id"] = guild_id
        bot_id = snowflake(now - 86_400_000 * 900, increment=2)
        self.dispatch("READY", {
            "v": 10,
            "user": {"id": bot_id, "username": "indep-bot", "discriminator": "0",
                     "global_name": None, "avatar": None, "bot": True, "flags": 0},
            "guilds": [{"id": guild_id, "unavailable": True}],
            "session_id": "d1e2a3d4b5e6e7f8a9b0c1d2e3f4a5b6",
            "resume_gateway_url": self.server.url,
            "application": {"id": bot_id, "flags": 0},
            # Observed extras (gateway.md section 4); no `shard`, as when Identify had none.
            "user_settings": {}, "session_type": "normal", "relationships": [],
            "private_channels": [], "presences": [], "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["rotterdam"], "auth": {},
            "_trace": ['["gateway-independent-py",{"micros":812.0}]'],
        })
        # Ask for a heartbeat right after READY: the client has processed READY before it reads
        # this op 1, so its answer must carry READY's sequence, even when that sequence is 0.
        self.expected_beat_seq = self.seq
        self.send_payload({"t": None, "s": None, "op": 1, "d": None})
        await self.writer.drain()
        try:
            await asyncio.wait_for(self.beat_with_seq.wait(), self.args.beat_wait)
            self.info["op1_reply_seq"] = self.expected_beat_seq
        except asyncio.TimeoutError:
            self.violation(f"no heartbeat with d={self.expected_beat_seq} within "
                           f"{self.args.beat_wait} s of op 1 sent after READY "
                           f"s={self.expected_beat_seq}; heartbeats: {self.info['heartbeats']}")
        self.dispatch("SOMETHING_NEW", {"what": "an event type this client cannot know",
                                        "id": snowflake(now, increment=3)})
        channels = [{"id": snowflake(now - 86_400_000 * 300, increment=10 + i), "type": 0,
                     "name": f"channel-{i}", "position": i, "topic": "t" * (i % 40),
                     "permission_overwrites": [], "nsfw": False, "parent_id": None}
                    for i in range(250)]
        self.dispatch("GUILD_CREATE", {
            "id": guild_id, "name": "Independent Guild", "icon": None, "owner_id": bot_id,
            "joined_at": iso_timestamp(now - 86_400_000), "large": False, "unavailable": False,
            "member_count": 2, "voice_states": [], "members": [], "channels": channels,
            "threads": [], "presences": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": [], "roles": [],
            "emojis": [], "features": ["NEWS"], "x_unknown_guild_field": 7,
        })
        await self.writer.drain()
        for i in range(self.args.messages):
            msg_ms = now + i
            in_dm = i % 5 == 4
            message = {
                "id": snowflake(msg_ms, worker=2, increment=i & 0xFFF),
                "channel_id": (snowflake(now - 1000, increment=999) if in_dm
                               else channels[i % 3]["id"]),
                "author": {"id": snowflake(now - 86_400_000 * 700, increment=20 + i % 4),
                           "username": f"user{i % 4}", "discriminator": "0",
                           "global_name": "Zoë" if i % 4 == 1 else None, "avatar": None,
                           "public_flags": 0},
                "content": f"message {i} — café ☕ and a 🚀" + ("\nsecond line" if i % 7 == 3
                                                                  else ""),
                "timestamp": iso_timestamp(msg_ms), "edited_timestamp": None, "tts": False,
                "mention_everyone": False, "mentions": [], "mention_roles": [],
                "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0,
                "nonce": str(1000 + i), "components": [],
                "_trace_hint": "underscore fields are internal", "x_unknown_message_field": [1],
            }
            if in_dm:
                message["channel_type"] = 1
            else:
                message["guild_id"] = guild_id
                message["channel_type"] = 0
                message["member"] = {"roles": [], "nick": None, "joined_at": iso_timestamp(now),
                                     "deaf": False, "mute": False, "flags": 0}
            if i % 6 == 5:
                message["type"] = 19
                message["message_reference"] = {"type": 0, "message_id": snowflake(now - 5),
                                                "channel_id": message["channel_id"]}
            fragmented = i % 3 == 1
            self.dispatch("MESSAGE_CREATE", message, fragment=fragmented,
                          ping_inside=fragmented and i % 6 == 1)
            self.info["messages_sent"] += 1
            await self.writer.drain()
            if self.args.message_gap_ms:
                await asyncio.sleep(self.args.message_gap_ms / 1000)
        self.say(f"sent {self.info['messages_sent']} MESSAGE_CREATE, last s={self.seq}")

    async def run(self):
        try:
            if not await self.handshake():
                return
            self.session_task = asyncio.create_task(self.session())
            while True:
                opcode, data = await self.read_message()
                if opcode == OP_CLOSE:
                    self.on_close(data)
                    return
                self.on_payload(opcode, data)
        except ProtocolError as error:
            if error.code < 4000:
                self.violation(error.reason)
            else:
                self.say(f"gateway error: {error.reason}")
            self.send_close(error.code, error.reason if error.code >= 4000 else "")
            await self.wait_for_close_echo()
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            self.say(f"connection dropped without a close frame: {error!r}")
        except asyncio.TimeoutError:
            self.violation("client sent no complete handshake within 5 s")
        finally:
            if self.session_task:
                self.session_task.cancel()
                try:
                    await self.session_task
                except (asyncio.CancelledError, asyncio.TimeoutError, ConnectionError):
                    pass
            self.closed = True
            self.writer.close()
            self.say(f"closed; client close code {self.info['client_close']}")

    def on_close(self, data):
        code = int.from_bytes(data[:2], "big") if len(data) >= 2 else 1005
        reason = data[2:].decode("utf-8", "replace")
        self.info["client_close"] = code
        self.info["client_close_reason"] = reason
        self.say(f"client close {code} {reason!r}")
        if not self.close_sent:
            self.write_frame(OP_CLOSE, data[:2])  # echo, completing the closing handshake
            self.close_sent = True
        if code == 1000:
            self.server.summary.client_close_1000 = True
            self.server.done.set()

    async def wait_for_close_echo(self):
        try:
            while True:
                opcode, data = await asyncio.wait_for(self.read_message(), 2)
                if opcode == OP_CLOSE:
                    self.on_close(data)
                    return
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError,
                ProtocolError):
            return


class Server:
    def __init__(self, args):
        self.args = args
        self.summary = Summary()
        self.done = asyncio.Event()
        self.url = None
        self.count = 0
        self.start_ms = int(datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000)

    async def on_client(self, reader, writer):
        self.count += 1
        connection = Connection(self, self.count, reader, writer)
        self.summary.connections.append(connection.info)
        await connection.run()

    async def main(self):
        server = await asyncio.start_server(self.on_client, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}"
        log(f"gateway: {self.url}")
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.done.set)
        timed_out = False
        try:
            await asyncio.wait_for(self.done.wait(), self.args.timeout)
        except asyncio.TimeoutError:
            timed_out = True
            log(f"timeout after {self.args.timeout} s")
        # Give an in-flight closing handshake a moment to finish its log lines.
        await asyncio.sleep(0.05)
        server.close()
        log("result: " + self.summary.to_json())
        if timed_out and not self.summary.client_close_1000:
            return 2
        clean = all(not c["violations"] for c in self.summary.connections)
        return 0 if self.summary.client_close_1000 and clean else 1


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--token-file", required=True, help="file with the expected bot token")
    parser.add_argument("--messages", type=int, default=30, help="MESSAGE_CREATE events to send")
    parser.add_argument("--seq-start", type=int, choices=(0, 1), default=0)
    parser.add_argument("--heartbeat-interval", type=int, default=700, help="ms, sent in Hello")
    parser.add_argument("--message-gap-ms", type=float, default=25)
    parser.add_argument("--max-split", type=int, default=3,
                        help="zlib-stream: split a payload across up to this many messages")
    parser.add_argument("--zlib-level", type=int, default=9, help="9 gives 78 DA, 6 gives 78 9C")
    parser.add_argument("--beat-wait", type=float, default=3.0,
                        help="seconds to wait for the heartbeat answering op 1")
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args(argv)
    with open(args.token_file, encoding="utf-8") as f:
        args.token = f.read().strip()
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(Server(parse_args(sys.argv[1:])).main()))
