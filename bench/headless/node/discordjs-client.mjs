// The @discordjs/ws client of the headless comparison (bench/headless/run.sh): one shard on the
// in-process SimpleShardingStrategy (what discord.js uses), zlib-stream inflated by zlib-sync,
// timed from READY to the N-th MESSAGE_CREATE dispatch. Prints one JSON line like gatescope's
// --stats-json: {"messages":N,"ingest_s":S}.
//
//   node discordjs-client.mjs ws://127.0.0.1:PORT N
import { CompressionMethod, WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';

const [url, countText] = process.argv.slice(2);
const count = Number.parseInt(countText ?? '', 10);
if (!url?.startsWith('ws://') || !(count > 0)) {
    console.error('usage: node discordjs-client.mjs ws://HOST:PORT MESSAGES');
    process.exit(2);
}

// @discordjs/ws falls back to an uncompressed connection with only a warning when zlib-sync is
// missing; that would measure something else, so refuse instead.
try {
    await import('zlib-sync');
} catch (error) {
    console.error(`discordjs-client: zlib-sync cannot be loaded: ${error.message}`);
    process.exit(1);
}

// @discordjs/ws 2.x asks for GET /gateway/bot through options.rest.get() (there is no option to
// pass the answer itself). It is answered here, before the clock starts, so no REST server is
// needed; the shard then connects to `url` as it would to Discord's gateway.
const gatewayBot = {
    url,
    shards: 1,
    session_start_limit: { total: 1000, remaining: 1000, reset_after: 3_600_000, max_concurrency: 1 },
};
const rest = { get: async () => gatewayBot };

const manager = new WebSocketManager({
    token: 'bench',
    intents: 37377, // GUILDS, GUILD_MESSAGES, DIRECT_MESSAGES, MESSAGE_CONTENT, as gatescope
    rest,
    shardCount: 1,
    compression: CompressionMethod.ZlibSync,
});

const timeout = setTimeout(() => {
    console.error(`discordjs-client: only ${received} of ${count} MESSAGE_CREATE after 300 s`);
    process.exit(1);
}, 300_000);

let readyAt = null;
let received = 0;
manager.on(WebSocketShardEvents.Ready, () => {
    readyAt ??= process.hrtime.bigint();
});
manager.on(WebSocketShardEvents.Dispatch, async (payload) => {
    if (payload.t !== 'MESSAGE_CREATE' || ++received !== count)
        return;
    const seconds = Number(process.hrtime.bigint() - readyAt) / 1e9;
    console.log(JSON.stringify({ messages: count, ingest_s: seconds }));
    clearTimeout(timeout);
    await manager.destroy({ code: 1000, reason: 'benchmark done' });
    process.exit(0);
});
manager.on(WebSocketShardEvents.Closed, (code) => {
    if (received < count) {
        console.error(`discordjs-client: closed with ${code} after ${received} of ${count}`);
        process.exit(1);
    }
});
manager.on(WebSocketShardEvents.Error, (error) => {
    console.error(`discordjs-client: ${error?.message ?? error}`);
    process.exit(1);
});

await manager.connect();
