"""The miner registry: the genesis system contract for joining and leaving the Chiron consensus.

It is the whitepaper's Miner Application Contract and Miner Annulment Contract (2.1.1) in one
contract, deployed in the genesis block at a fixed address (docs/system-contracts.md):

    register(kind, bls_public_key, pop)   @payable: msg.value is the stake (>= the minimum);
                                           kind 0 = proposer, 1 = verifier
    annul()                               the caller stops being a candidate from this height on
    refund()                              refund_delay blocks after annul(): the stake, less any
                                           slashing, goes back to the caller; the record is cleared
    slash(account, amount)                the engine only: forfeits up to `amount` of a stake
    enroll_genesis(miners)                @payable, the deployer only, at the deployment height:
                                           the genesis miners, stakes paid by the deployer

One record per account at a time, and one account per BLS key: a key (the miner's identity,
ID = sha256(key)) is free again only once its record was refunded.

The consensus engine reads this registry by replaying the contract's events from the
receipts, in order, so every state change emits exactly one event carrying everything the
engine needs (formats in docs/system-contracts.md): MinersConfigured, MinerRegistered,
MinerAnnulled, MinerRefunded, MinerSlashed.

What the contract cannot check, the engine does when it replays MinerRegistered: that the
key is a valid BLS12-381 G1 point and that `pop` is the key's BLS signature on
`pop_message(account, key)` (the language has no BLS builtin). A registration that fails
those checks never becomes a candidate, and its account gets the stake back the usual way
(annul, then refund).

Slashed coin stays in this contract for good: it leaves circulation, as it does in the
engine's own registry today (node-lite/consensus/miners.ts slashMiner). `totals()` reports it.
"""

from zvchain import Contract, Map, Address, Struct, Event
from zvchain import public, view, payable, msg, block, require, revert, emit, transfer


# ---- constants (the language has no module-level variables: functions instead)

def kind_proposer() -> int:
    return 0


def kind_verifier() -> int:
    return 1


def status_none() -> int:
    return 0


def status_active() -> int:
    return 1


def status_annulled() -> int:
    return 2


def public_key_size() -> int:
    # A compressed BLS12-381 G1 point (node-lite/crypto/bls.ts PUBLIC_KEY_BYTES).
    return 48


def pop_size() -> int:
    # A compressed BLS12-381 G2 point: a signature (node-lite/crypto/bls.ts SIGNATURE_BYTES).
    return 96


def pop_domain() -> bytes:
    return b"ZV-MINER-POP-v1"


def nobody() -> Address:
    return Address("zv0000000000000000000000000000000000000000000000000000000000000000")


def kind_name(kind: int) -> str:
    if kind == kind_proposer():
        return "proposer"
    return "verifier"


def status_name(status: int) -> str:
    if status == status_active():
        return "active"
    if status == status_annulled():
        return "annulled"
    return "not registered"


# ---- records and events

class Miner(Struct):
    kind: int                 # 0 proposer, 1 verifier
    bls_public_key: bytes     # 48 bytes
    stake: int                # current deposit: msg.value of register, less slashing
    registered_at: int        # block height of register()
    annulled_at: int          # block height of annul(); 0 while status is active
    status: int               # 0 none (the default of a missing record), 1 active, 2 annulled


class GenesisMiner(Struct):
    account: Address
    kind: int
    bls_public_key: bytes
    pop: bytes
    stake: int


class MinersConfigured(Event):
    engine: Address
    min_stake: int
    refund_delay: int
    height: int


class MinerRegistered(Event):
    account: Address
    kind: int
    bls_public_key: bytes
    pop: bytes
    stake: int
    height: int


class MinerAnnulled(Event):
    account: Address
    height: int
    refundable_at: int


class MinerRefunded(Event):
    account: Address
    amount: int
    height: int


class MinerSlashed(Event):
    account: Address
    amount: int               # what the engine asked for
    taken: int                # what was taken: min(amount, stake)
    stake: int                # what is left
    height: int


class MinerRegistry(Contract):
    engine: Address           # the only caller of slash()
    deployer: Address         # the only caller of enroll_genesis()
    deployed_at: int
    min_stake: int
    refund_delay: int
    miners: Map[Address, Miner]
    key_holders: Map[bytes, Address]      # BLS key -> the account whose record holds it
    active_proposers: int
    active_verifiers: int
    annulled_count: int
    staked: int               # coin held for miners: the sum of every record's stake
    slashed: int              # coin forfeited by slashing, kept here for good

    def __init__(self, engine: Address, min_stake: int, refund_delay: int) -> None:
        require(engine != nobody(), "engine must not be the zero address")
        require(min_stake > 0, f"min_stake must be positive, got {min_stake}")
        require(refund_delay > 0, f"refund_delay must be positive, got {refund_delay}")
        self.engine = engine
        self.min_stake = min_stake
        self.refund_delay = refund_delay
        self.deployer = msg.sender
        self.deployed_at = block.height
        emit(MinersConfigured(engine, min_stake, refund_delay, block.height))

    @payable
    def enroll_genesis(self, genesis_miners: list[GenesisMiner]) -> int:
        # The genesis miners, registered in the genesis block by the deployer, who pays their
        # stakes (msg.value = their sum). Each record then belongs to its own account, which
        # alone may annul it and receives the refund. (This is not in the constructor because
        # the compiler does not yet let a constructor take coin: docs/system-contracts.md.)
        require(msg.sender == self.deployer, "only the deployer can enroll genesis miners")
        require(block.height == self.deployed_at,
                f"genesis miners are enrolled at the deployment height {self.deployed_at}, now {block.height}")
        total = 0
        for i, g in enumerate(genesis_miners):
            require(g.account != nobody(), f"genesis miner {i}: account must not be the zero address")
            total += g.stake
            self._enroll(f"genesis miner {i}: ", g.account, g.kind, g.bls_public_key, g.pop, g.stake)
        require(msg.value == total, f"send exactly the genesis stakes: {total}, got {msg.value}")
        return len(genesis_miners)

    # ---- joining and leaving

    @payable
    def register(self, kind: int, bls_public_key: bytes, pop: bytes) -> None:
        self._enroll("", msg.sender, kind, bls_public_key, pop, msg.value)

    @public
    def annul(self) -> int:
        m = self._record_of_caller()
        require(m.status == status_active(),
                f"already annulled at height {m.annulled_at}; refundable from height {m.annulled_at + self.refund_delay}")
        m.annulled_at = block.height
        m.status = status_annulled()
        self.miners[msg.sender] = m
        self._count_active(m.kind, -1)
        self.annulled_count += 1
        refundable = block.height + self.refund_delay
        emit(MinerAnnulled(msg.sender, block.height, refundable))
        return refundable

    @public
    def refund(self) -> int:
        m = self._record_of_caller()
        require(m.status == status_annulled(), "annul first: the stake is refundable refund_delay blocks after annul()")
        earliest = m.annulled_at + self.refund_delay
        require(block.height >= earliest,
                f"refund too early: annulled at height {m.annulled_at}, refundable from height {earliest}, now {block.height}")
        amount = m.stake
        # Clear the record before paying: a second refund() finds nothing.
        del self.miners[msg.sender]
        del self.key_holders[m.bls_public_key]
        self.annulled_count -= 1
        self.staked -= amount
        emit(MinerRefunded(msg.sender, amount, block.height))
        if amount > 0:
            transfer(msg.sender, amount)
        return amount

    @public
    def slash(self, account: Address, amount: int) -> int:
        # The engine slashes a proposer proven to sign two blocks at one height (2.1.4); an
        # annulled miner is still slashable until refunded, which is what refund_delay is for.
        require(msg.sender == self.engine, "only the engine can slash")
        require(amount >= 0, f"slash amount must not be negative, got {amount}")
        m = self.miners[account]
        require(m.status != status_none(), f"{account} is not a registered miner")
        taken = min(amount, m.stake)
        m.stake -= taken
        self.miners[account] = m
        self.staked -= taken
        self.slashed += taken
        emit(MinerSlashed(account, amount, taken, m.stake, block.height))
        return taken

    # ---- views

    @view
    def miner_of(self, account: Address) -> Miner:
        # Every field at its default (status 0) for an account without a record.
        return self.miners[account]

    @view
    def stake_of(self, account: Address) -> int:
        return self.miners[account].stake

    @view
    def is_active(self, account: Address, height: int) -> bool:
        # As the engine's isActiveAt: registered by `height` and not annulled by then. (The
        # engine's candidate lists also leave out records whose stake was slashed to zero.)
        m = self.miners[account]
        if m.status == status_none() or m.registered_at > height:
            return False
        return m.status == status_active() or m.annulled_at > height

    @view
    def refundable_at(self, account: Address) -> int:
        m = self.miners[account]
        require(m.status == status_annulled(), f"{account} has not annulled ({status_name(m.status)})")
        return m.annulled_at + self.refund_delay

    @view
    def holder_of(self, bls_public_key: bytes) -> Address:
        # The account whose record holds the key; the zero address when the key is free.
        return self.key_holders[bls_public_key]

    @view
    def counts(self) -> tuple[int, int, int]:
        # (active proposers, active verifiers, annulled awaiting refund)
        return (self.active_proposers, self.active_verifiers, self.annulled_count)

    @view
    def totals(self) -> tuple[int, int]:
        # (coin staked by current records, coin forfeited by slashing)
        return (self.staked, self.slashed)

    @view
    def config(self) -> tuple[Address, int, int]:
        # (engine, min_stake, refund_delay)
        return (self.engine, self.min_stake, self.refund_delay)

    @view
    def pop_message(self, account: Address, bls_public_key: bytes) -> bytes:
        return pop_message_of(account, bls_public_key)

    # ---- internals

    def _enroll(self, where: str, account: Address, kind: int, bls_public_key: bytes, pop: bytes, stake: int) -> None:
        # `where` prefixes every message: empty for register(), "genesis miner i: " otherwise.
        require(kind == kind_proposer() or kind == kind_verifier(), f"{where}kind must be 0 (proposer) or 1 (verifier), got {kind}")
        require(len(bls_public_key) == public_key_size(),
                f"{where}bls_public_key must be {public_key_size()} bytes (a compressed G1 point), got {len(bls_public_key)}")
        require(len(pop) == pop_size(), f"{where}pop must be {pop_size()} bytes (a BLS signature), got {len(pop)}")
        require(stake >= self.min_stake, f"{where}stake {stake} is below the minimum {self.min_stake}")
        existing = self.miners[account]
        if existing.status != status_none():
            revert(f"{where}{account} is already registered ({status_name(existing.status)} {kind_name(existing.kind)} since height {existing.registered_at}); annul and refund first")
        holder = self.key_holders[bls_public_key]
        require(holder == nobody(), f"{where}bls_public_key is already registered by {holder}")
        self.miners[account] = Miner(kind, bls_public_key, stake, block.height, 0, status_active())
        self.key_holders[bls_public_key] = account
        self._count_active(kind, 1)
        self.staked += stake
        emit(MinerRegistered(account, kind, bls_public_key, pop, stake, block.height))

    def _record_of_caller(self) -> Miner:
        m = self.miners[msg.sender]
        require(m.status != status_none(), f"{msg.sender} is not a registered miner")
        return m

    def _count_active(self, kind: int, delta: int) -> None:
        if kind == kind_proposer():
            self.active_proposers += delta
        else:
            self.active_verifiers += delta


def pop_message_of(account: Address, bls_public_key: bytes) -> bytes:
    # What `pop` signs: the domain, the account's 32 address bytes, the key. Binding the
    # account stops anyone from registering a key they do not hold (a rogue key) or replaying
    # another account's proof.
    return pop_domain() + bytes.fromhex(str(account)[2:]) + bls_public_key
