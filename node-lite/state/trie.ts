// The authenticated state: a compressed binary Merkle trie (a Patricia trie over bits).
// Each key's path is SHA-256(key), so the trie stays balanced whatever keys contracts choose
// (about log2(n) levels). Only the places where paths diverge have a node, so an update
// rehashes about log2(n) nodes, not 256. The shape depends only on the set of keys, so the
// root is the same whatever order the updates came in.
//
// Nodes are content-addressed (hash → encoding) and never change: an update returns a new
// root and the nodes it created. Every old root stays readable while its nodes are kept, which
// is how the devnet reads an account or a storage entry at a past height. See docs/state.md.
//
//   leaf   = 0x00 ‖ path[32] ‖ u32 keyLength ‖ key ‖ value
//   branch = 0x01 ‖ u16 bit ‖ prefix[32] ‖ left[32] ‖ right[32]
//            (every path below shares bits [0, bit) with `prefix`; bit `bit` picks the child;
//             prefix bits from `bit` on are zero)
//   hash   = SHA-256(node encoding); the empty trie's root is 32 zero bytes (no node).

import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

export const EMPTY_ROOT: Uint8Array = new Uint8Array(32);
const LEAF = 0x00;
const BRANCH = 0x01;

export class TrieError extends Error {
  readonly code: 'missing-node' | 'malformed-node';
  constructor(code: 'missing-node' | 'malformed-node', message: string) {
    super(message);
    this.name = 'TrieError';
    this.code = code;
  }
}

/** Where trie nodes are read from: synchronous (contract execution cannot await). */
export interface NodeSource {
  getNode(hash: Uint8Array): Uint8Array | undefined;
}

export class MemoryNodeStore implements NodeSource {
  private readonly nodes = new Map<string, Uint8Array>();
  getNode(hash: Uint8Array): Uint8Array | undefined {
    return this.nodes.get(hex(hash));
  }
  putNodes(nodes: ReadonlyMap<string, Uint8Array>): void {
    for (const [k, v] of nodes) this.nodes.set(k, v);
  }
  get size(): number {
    return this.nodes.size;
  }
}

type Node =
  | { kind: 'leaf'; path: Uint8Array; key: Uint8Array; value: Uint8Array }
  | { kind: 'branch'; bit: number; prefix: Uint8Array; left: Uint8Array; right: Uint8Array };

// @noble/hashes, not node:crypto: for inputs of about 100 bytes node:crypto's per-call cost
// (a Hash object, a Buffer digest) is the larger part; measured in docs/state.md.
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

export function pathOf(key: Uint8Array): Uint8Array {
  return sha256(key);
}

// ---- reading ----

export function trieGet(source: NodeSource, root: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  return getAtPath(source, root, pathOf(key));
}

/** The lookup over a raw 256-bit path (exported for tests of adversarial paths). */
export function getAtPath(source: NodeSource, root: Uint8Array, path: Uint8Array): Uint8Array | undefined {
  let hash = root;
  for (;;) {
    if (isEmpty(hash)) return undefined;
    const node = load(source, hash);
    if (node.kind === 'leaf') return equal(node.path, path) ? node.value : undefined;
    if (firstDiff(node.prefix, path, node.bit) < node.bit) return undefined;
    hash = bitAt(path, node.bit) ? node.right : node.left;
  }
}

/** Every (key, value), in path order. */
export function* trieEntries(source: NodeSource, root: Uint8Array): Generator<[Uint8Array, Uint8Array]> {
  if (isEmpty(root)) return;
  const node = load(source, root);
  if (node.kind === 'leaf') {
    yield [node.key, node.value];
    return;
  }
  yield* trieEntries(source, node.left);
  yield* trieEntries(source, node.right);
}

// ---- updating ----

export interface TrieUpdate {
  readonly root: Uint8Array;
  /** Nodes created by this update, by hex hash: persist them with the block. */
  readonly newNodes: Map<string, Uint8Array>;
}

/** Applies changes (null deletes; a key given twice: the last wins) and returns the new root. */
export function trieUpdate(source: NodeSource, root: Uint8Array, changes: Iterable<readonly [Uint8Array, Uint8Array | null]>): TrieUpdate {
  const latest = new Map<string, { path: Uint8Array; key: Uint8Array; value: Uint8Array | null }>();
  for (const [key, value] of changes) {
    const path = pathOf(key);
    latest.set(hex(path), { path, key: key.slice(), value: value === null ? null : value.slice() });
  }
  return updateAtPaths(source, root, [...latest.values()]);
}

/** The update over raw paths (exported for tests of adversarial paths). */
export function updateAtPaths(source: NodeSource, root: Uint8Array, changes: readonly { path: Uint8Array; key: Uint8Array; value: Uint8Array | null }[]): TrieUpdate {
  const newNodes = new Map<string, Uint8Array>();
  const overlay: NodeSource = { getNode: (h) => newNodes.get(hex(h)) ?? source.getNode(h) };
  const w = { source: overlay, newNodes };
  let r = root;
  for (const c of changes) r = c.value === null ? remove(w, r, c.path) : insert(w, r, c.path, c.key, c.value);
  // Drop nodes made and superseded within this batch: only what the new root reaches remains new.
  const reachable = new Map<string, Uint8Array>();
  collectNew(newNodes, r, reachable);
  return { root: r, newNodes: reachable };
}

interface Writer {
  readonly source: NodeSource;
  readonly newNodes: Map<string, Uint8Array>;
}

function insert(w: Writer, hash: Uint8Array, path: Uint8Array, key: Uint8Array, value: Uint8Array): Uint8Array {
  if (isEmpty(hash)) return store(w, leaf(path, key, value));
  const node = load(w.source, hash);
  if (node.kind === 'leaf') {
    if (equal(node.path, path)) return store(w, leaf(path, key, value));
    return split(w, hash, node.path, path, key, value, 256);
  }
  const d = firstDiff(node.prefix, path, node.bit);
  if (d < node.bit) return split(w, hash, node.prefix, path, key, value, d);
  const goRight = bitAt(path, node.bit);
  const child = insert(w, goRight ? node.right : node.left, path, key, value);
  return store(w, branch(node.bit, node.prefix, goRight ? node.left : child, goRight ? child : node.right));
}

/** A new branch where `path` leaves the subtree `existing` (whose paths share `existingPath`'s bits below `limit`). */
function split(w: Writer, existing: Uint8Array, existingPath: Uint8Array, path: Uint8Array, key: Uint8Array, value: Uint8Array, limit: number): Uint8Array {
  const d = firstDiff(existingPath, path, limit);
  const fresh = store(w, leaf(path, key, value));
  const [left, right] = bitAt(path, d) ? [existing, fresh] : [fresh, existing];
  return store(w, branch(d, masked(path, d), left, right));
}

function remove(w: Writer, hash: Uint8Array, path: Uint8Array): Uint8Array {
  if (isEmpty(hash)) return hash;
  const node = load(w.source, hash);
  if (node.kind === 'leaf') return equal(node.path, path) ? EMPTY_ROOT : hash;
  if (firstDiff(node.prefix, path, node.bit) < node.bit) return hash;
  const goRight = bitAt(path, node.bit);
  const before = goRight ? node.right : node.left;
  const child = remove(w, before, path);
  if (equal(child, before)) return hash;
  const other = goRight ? node.left : node.right;
  // A branch with one child is no branch: the sibling takes its place (its own prefix and
  // split bit stay valid, they are deeper).
  if (isEmpty(child)) return other;
  return store(w, branch(node.bit, node.prefix, goRight ? node.left : child, goRight ? child : node.right));
}

function collectNew(newNodes: Map<string, Uint8Array>, hash: Uint8Array, out: Map<string, Uint8Array>): void {
  if (isEmpty(hash)) return;
  const k = hex(hash);
  const enc = newNodes.get(k);
  if (!enc || out.has(k)) return; // an old node: everything below it is old too
  out.set(k, enc);
  const node = decode(enc, hash);
  if (node.kind === 'branch') {
    collectNew(newNodes, node.left, out);
    collectNew(newNodes, node.right, out);
  }
}

// ---- proofs ----

/** The encodings of the nodes on the way to `key`, root first: checkable against a root alone. */
export function trieProve(source: NodeSource, root: Uint8Array, key: Uint8Array): Uint8Array[] {
  const path = pathOf(key);
  const proof: Uint8Array[] = [];
  let hash = root;
  while (!isEmpty(hash)) {
    const enc = source.getNode(hash);
    if (!enc) throw missing(hash);
    proof.push(enc);
    const node = decode(enc, hash);
    if (node.kind === 'leaf' || firstDiff(node.prefix, path, node.bit) < node.bit) break;
    hash = bitAt(path, node.bit) ? node.right : node.left;
  }
  return proof;
}

/** Whether `proof` shows that under `root`, `key` holds `value` (undefined: is absent). Never throws. */
export function verifyTrieProof(root: Uint8Array, key: Uint8Array, value: Uint8Array | undefined, proof: readonly Uint8Array[]): boolean {
  try {
    const nodes = new Map(proof.map((enc) => [hex(sha256(enc)), enc]));
    const source: NodeSource = { getNode: (h) => nodes.get(hex(h)) };
    const found = getAtPath(source, root, pathOf(key));
    return found === undefined || value === undefined ? found === value : equal(found, value);
  } catch {
    return false; // a node missing from the proof, or a malformed one
  }
}

// ---- nodes ----

function leaf(path: Uint8Array, key: Uint8Array, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + 32 + 4 + key.length + value.length);
  out[0] = LEAF;
  out.set(path, 1);
  new DataView(out.buffer).setUint32(33, key.length);
  out.set(key, 37);
  out.set(value, 37 + key.length);
  return out;
}

function branch(bit: number, prefix: Uint8Array, left: Uint8Array, right: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + 2 + 32 * 3);
  out[0] = BRANCH;
  new DataView(out.buffer).setUint16(1, bit);
  out.set(prefix, 3);
  out.set(left, 35);
  out.set(right, 67);
  return out;
}

function store(w: Writer, enc: Uint8Array): Uint8Array {
  const hash = sha256(enc);
  w.newNodes.set(hex(hash), enc);
  return hash;
}

function load(source: NodeSource, hash: Uint8Array): Node {
  const enc = source.getNode(hash);
  if (!enc) throw missing(hash);
  return decode(enc, hash);
}

function decode(enc: Uint8Array, hash: Uint8Array): Node {
  const view = new DataView(enc.buffer, enc.byteOffset, enc.length);
  if (enc[0] === LEAF && enc.length >= 37) {
    const keyLen = view.getUint32(33);
    if (37 + keyLen <= enc.length) return { kind: 'leaf', path: enc.subarray(1, 33), key: enc.subarray(37, 37 + keyLen), value: enc.subarray(37 + keyLen) };
  } else if (enc[0] === BRANCH && enc.length === 99) {
    const bit = view.getUint16(1);
    if (bit < 256) return { kind: 'branch', bit, prefix: enc.subarray(3, 35), left: enc.subarray(35, 67), right: enc.subarray(67, 99) };
  }
  throw new TrieError('malformed-node', `trie node ${hex(hash)} is malformed`);
}

function missing(hash: Uint8Array): TrieError {
  return new TrieError('missing-node', `trie node ${hex(hash)} is not in the store (pruned or corrupt)`);
}

// ---- bits ----

function bitAt(path: Uint8Array, i: number): boolean {
  return ((path[i >> 3]! >> (7 - (i & 7))) & 1) === 1;
}

/** The first bit index < limit where a and b differ, or limit. */
function firstDiff(a: Uint8Array, b: Uint8Array, limit: number): number {
  for (let byte = 0; byte * 8 < limit; byte++) {
    const x = a[byte]! ^ b[byte]!;
    if (x !== 0) return Math.min(limit, byte * 8 + Math.clz32(x) - 24);
  }
  return limit;
}

/** `path` with every bit from `bits` on cleared. */
function masked(path: Uint8Array, bits: number): Uint8Array {
  const out = new Uint8Array(32);
  out.set(path.subarray(0, bits >> 3));
  if (bits & 7) out[bits >> 3] = path[bits >> 3]! & (0xff << (8 - (bits & 7)));
  return out;
}

function isEmpty(hash: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (hash[i] !== 0) return false;
  return true;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}
