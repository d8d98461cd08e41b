/**
 * Preloaded into the n8n process by scripts/bench-fast-n8n.ts (`node --require <this> .../bin/n8n
 * start`): appends one line every 10 ms to BENCH_PROBE_FILE with what the process holds, so that
 * RSS growth can be split into V8 heap, external memory and ArrayBuffers (Buffers):
 *
 *   <pid> <ms since epoch> <rss> <heapUsed> <heapTotal> <external> <arrayBuffers>      (bytes)
 *
 * (n8n forks processes with its own Node options, the probe included: the pid tells them apart.)
 * Plain JavaScript, loaded before n8n: nothing of n8n is touched. Without BENCH_PROBE_FILE it does
 * nothing.
 */
'use strict';

const { openSync, writeSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const file = process.env.BENCH_PROBE_FILE;
// Worker threads load the preload too; their memoryUsage() is of their own heap.
if (file && isMainThread) {
	const fd = openSync(file, 'a');
	const timer = setInterval(() => {
		const usage = process.memoryUsage();
		writeSync(fd, `${process.pid} ${Date.now()} ${usage.rss} ${usage.heapUsed} ${usage.heapTotal} ${usage.external} ${usage.arrayBuffers}\n`);
	}, 10);
	timer.unref();
}
