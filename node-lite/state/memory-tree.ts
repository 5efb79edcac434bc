// The state tree over trie nodes kept in memory, for tests and simulations (the devnet keeps
// its nodes in ChainStore).

import { MemoryNodeStore, trieGet, trieUpdate } from './trie.ts';
import type { StateTreeLike } from './state-cache.ts';

/** A StateTree whose nodes live in `nodes` (content-addressed: several executors may share one store). */
export function memoryStateTree(nodes = new MemoryNodeStore()): StateTreeLike {
  return {
    get: (root, key) => trieGet(nodes, root, key),
    update: (root, changes) => {
      const u = trieUpdate(nodes, root, changes);
      nodes.putNodes(u.newNodes);
      return u.root;
    },
  };
}
