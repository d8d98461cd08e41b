/**
 * ZIP archives as streams (fflate), so that neither packing annexes nor unpacking a download
 * holds a whole file in memory. Backpressure is honoured both ways: the producer waits for the
 * consumer to drain.
 */
import type { Readable, Writable } from 'node:stream';
import { PassThrough } from 'node:stream';

import { Unzip, UnzipInflate, UnzipPassThrough, Zip, ZipDeflate } from 'fflate';

async function drained(stream: Writable): Promise<void> {
	if (!stream.writableNeedDrain) return;
	await new Promise<void>((resolve, reject) => {
		const onDrain = () => {
			stream.off('error', onError);
			resolve();
		};
		const onError = (error: Error) => {
			stream.off('drain', onDrain);
			reject(error);
		};
		stream.once('drain', onDrain);
		stream.once('error', onError);
	});
}

/**
 * A ZIP of the given files, produced while it is read. Entries are deflated (level 1: documents
 * are mostly compressed already) and written with data descriptors, which every ZIP reader accepts
 * for deflated entries.
 */
export function zipFiles(files: Array<{ name: string; content: Readable | Buffer }>): Readable {
	const output = new PassThrough();
	const zip = new Zip((error, chunk, final) => {
		if (error) {
			output.destroy(error);
			return;
		}
		output.write(chunk);
		if (final) output.end();
	});
	const used = new Set<string>();
	const uniqueName = (name: string) => {
		let candidate = name;
		for (let n = 2; used.has(candidate.toLowerCase()) && n < 1000; n++) {
			candidate = name.replace(/(\.[^.]*)?$/, (ext) => `-${n}${ext}`);
		}
		used.add(candidate.toLowerCase());
		return candidate;
	};
	void (async () => {
		for (const file of files) {
			const entry = new ZipDeflate(uniqueName(file.name), { level: 1 });
			zip.add(entry);
			if (Buffer.isBuffer(file.content)) {
				entry.push(file.content, true);
				await drained(output);
				continue;
			}
			for await (const chunk of file.content) {
				entry.push(chunk as Buffer);
				await drained(output);
			}
			entry.push(new Uint8Array(0), true);
		}
		zip.end();
	})().catch((error: Error) => output.destroy(error));
	return output;
}

export interface UnzippedEntry {
	name: string;
	stream: Readable;
}

/**
 * Reads a ZIP stream and hands every entry over as a stream (in archive order) to `onEntry`, which
 * must start consuming it. Resolves with what `onEntry` returned, once the archive is read and
 * every consumer has finished.
 */
export async function unzipStream<T>(source: Readable, onEntry: (entry: UnzippedEntry) => Promise<T>): Promise<T[]> {
	const results: Array<Promise<T>> = [];
	const open: PassThrough[] = [];
	let failure: Error | undefined;
	const unzip = new Unzip((file) => {
		if (file.name.endsWith('/')) {
			file.ondata = () => undefined;
			file.start();
			return;
		}
		const stream = new PassThrough();
		open.push(stream);
		file.ondata = (error, chunk, final) => {
			if (error) {
				failure = error;
				stream.destroy(error);
				return;
			}
			if (chunk.length > 0) stream.write(chunk);
			if (final) stream.end();
		};
		const consumer = onEntry({ name: file.name, stream });
		consumer.catch((error: Error) => {
			failure ??= error;
			stream.destroy(error);
		});
		results.push(consumer);
		file.start();
	});
	unzip.register(UnzipInflate);
	unzip.register(UnzipPassThrough);
	for await (const chunk of source) {
		unzip.push(chunk as Buffer);
		if (failure) throw failure;
		for (const stream of open) {
			if (!stream.writableFinished && !stream.destroyed) await drained(stream);
		}
		if (failure) throw failure;
	}
	unzip.push(new Uint8Array(0), true);
	if (failure) throw failure;
	return await Promise.all(results);
}
