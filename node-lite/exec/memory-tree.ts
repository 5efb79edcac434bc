// The state tree of the TVM executor over trie nodes kept in memory: for tests, simulations
// and the in-memory devnet's peers (the devnet itself keeps its nodes in ChainStore).

import { MemoryNodeStore, trieGet, trieUpdate } from '../state/trie.ts';
import type { StateTree } from './tvm-executor.ts';

/** A StateTree whose nodes live in `nodes` (content-addressed: several executors may share one store). */
export function memoryStateTree(nodes = new MemoryNodeStore()): StateTree {
  return {
    get: (root, key) => trieGet(nodes, root, key),
    update: (root, changes) => {
      const u = trieUpdate(nodes, root, changes);
      nodes.putNodes(u.newNodes);
      return u.root;
    },
  };
}
