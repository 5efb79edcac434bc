// The one error type of the consensus rules. Every rejected transition (a double
// registration, a refund asked too early, a malformed group block, an invalid parameter set)
// throws a ConsensusError whose `code` says what was wrong, so the engine can count a bad
// transaction or message against its sender without parsing messages.

export type ConsensusErrorCode =
  | 'invalid-params' // a parameter set that breaks a rule (threshold above group size, ...)
  | 'invalid-argument' // a caller error: negative height, wrong seed length, ...
  | 'invalid-public-key' // a miner key that is not a valid BLS12-381 G1 public key
  | 'already-registered' // the key's miner id is registered and its deposit not yet refunded
  | 'insufficient-stake' // stake below the preset's minimum
  | 'unknown-miner' // no miner with that id
  | 'already-annulled' // annul of a miner that already left
  | 'not-annulled' // refund asked by a miner that never annulled
  | 'refund-too-early' // refund before annulment height + refundDelay
  | 'already-refunded' // second refund of one deposit
  | 'invalid-height' // a transition dated before the state it changes
  | 'not-enough-candidates' // fewer eligible candidates than the minimum group size
  | 'malformed-group-block' // group block bytes or fields that break the format
  | 'malformed-block' // block bytes or header fields that break the format
  | 'invalid-block' // a well-formed block that breaks a chain rule (wrong parent, slot time, group, ...)
  | 'invalid-random' // a block's random signature does not verify for its slot
  | 'invalid-proposer' // a bad VRF proof or proposer signature, or a proposer not eligible by stake
  | 'invalid-group-signature' // the validation group's signature on the block does not verify
  | 'no-common-ancestor' // two chains that do not share their genesis
  | 'reorg-below-checkpoint'; // a reorganisation that would replace a final (checkpointed) block

export class ConsensusError extends Error {
  readonly code: ConsensusErrorCode;
  constructor(code: ConsensusErrorCode, message: string) {
    super(message);
    this.name = 'ConsensusError';
    this.code = code;
  }
}
