// Test fixture of kv.test.ts: commits numbered batches forever (batch n = keys "n:0".."n:49")
// and prints n after each commit resolved, until the test kills it with SIGKILL.
// Usage: node bin/run-ts.js node-lite/store/crash-writer.ts PATH START

import { openKvStore } from './kv.ts';

const [path, startText] = process.argv.slice(2);
const store = await openKvStore(path!);
const enc = new TextEncoder();
for (let n = Number(startText); ; n++) {
  const put: [Uint8Array, Uint8Array][] = [];
  for (let i = 0; i < 50; i++) put.push([enc.encode(`${n}:${i}`), enc.encode(`v${n}`)]);
  await store.commit({ put, del: [] });
  process.stdout.write(`${n}\n`);
}
