"""The bonus contract: the genesis system contract that holds the block reward parameters.

Each block mints `block_reward`: the proposer takes `proposer_share_percent` of it, the
members of the parent's validation group who signed the parent block (its certificate)
share the rest equally, and what does not divide evenly goes to the proposer. A block whose
proposer had no certificate of the parent's signers mints the proposer's share only.

    split(signers)  -> (proposer_part, per_signer, remainder)
    minted(signers) -> proposer_part + per_signer * signers

`reward_split` below is the integer arithmetic of the engine's payRewards
(node-lite/engine/chain-state.ts), operation for operation; stdlib/system/system.test.ts
checks the two against each other.

Only the `engine` address (the consensus engine, or a governance contract it hands over to
with set_engine) may change the parameters. Every change, and the construction, emits one
RewardParamsSet event carrying the whole new configuration, so the engine reads the
parameters by replaying these events (format in docs/system-contracts.md).

Rewards themselves stay credited by the engine, not paid from here: a contract cannot mint
coin, and paying per block from a contract would need a system call per block with one
storage write per signer (docs/system-contracts.md, "Why rewards stay engine-credited").
"""

from zvchain import Contract, Address, Event
from zvchain import public, view, msg, block, require, emit


def nobody() -> Address:
    return Address("zv0000000000000000000000000000000000000000000000000000000000000000")


def check_reward_params(block_reward: int, proposer_share_percent: int) -> None:
    # The engine's own rules for these parameters (node-lite/consensus/params.ts validateParams).
    require(block_reward >= 0, f"block_reward must not be negative, got {block_reward}")
    require(proposer_share_percent >= 0 and proposer_share_percent <= 100,
            f"proposer_share_percent must be in 0..100, got {proposer_share_percent}")


def reward_split(block_reward: int, proposer_share_percent: int, signers: int) -> tuple[int, int, int]:
    # (proposer_part, per_signer, remainder) for a block whose parent certificate names
    # `signers` members (0: no certificate).
    #   with signers:    signer_pool = reward * (100 - percent) // 100
    #                    per_signer  = signer_pool // signers
    #                    proposer    = reward - per_signer * signers
    #                    remainder   = signer_pool - per_signer * signers (inside proposer)
    #   without:         proposer    = reward * percent // 100; nothing else is minted
    require(signers >= 0, f"signers must not be negative, got {signers}")
    if signers == 0:
        return (block_reward * proposer_share_percent // 100, 0, 0)
    signer_pool = block_reward * (100 - proposer_share_percent) // 100
    per_signer = signer_pool // signers
    return (block_reward - per_signer * signers, per_signer, signer_pool - per_signer * signers)


class RewardParamsSet(Event):
    engine: Address
    block_reward: int
    proposer_share_percent: int
    height: int


class Bonus(Contract):
    engine: Address
    block_reward: int
    proposer_share_percent: int

    def __init__(self, engine: Address, block_reward: int, proposer_share_percent: int) -> None:
        require(engine != nobody(), "engine must not be the zero address")
        check_reward_params(block_reward, proposer_share_percent)
        self.engine = engine
        self.block_reward = block_reward
        self.proposer_share_percent = proposer_share_percent
        self._announce()

    @public
    def set_params(self, block_reward: int, proposer_share_percent: int) -> None:
        self._only_engine()
        check_reward_params(block_reward, proposer_share_percent)
        self.block_reward = block_reward
        self.proposer_share_percent = proposer_share_percent
        self._announce()

    @public
    def set_engine(self, new_engine: Address) -> None:
        # Hands the parameters over (to a governance contract, say); the old engine loses them.
        self._only_engine()
        require(new_engine != nobody(), "new engine must not be the zero address")
        self.engine = new_engine
        self._announce()

    @view
    def params(self) -> tuple[int, int]:
        # (block_reward, proposer_share_percent)
        return (self.block_reward, self.proposer_share_percent)

    @view
    def engine_address(self) -> Address:
        return self.engine

    @view
    def split(self, signers: int) -> tuple[int, int, int]:
        return reward_split(self.block_reward, self.proposer_share_percent, signers)

    @view
    def minted(self, signers: int) -> int:
        proposer_part, per_signer, remainder = reward_split(self.block_reward, self.proposer_share_percent, signers)
        return proposer_part + per_signer * signers

    def _only_engine(self) -> None:
        require(msg.sender == self.engine, "only the engine can change the reward parameters")

    def _announce(self) -> None:
        # One event with the whole configuration: replaying the last one gives the state.
        emit(RewardParamsSet(self.engine, self.block_reward, self.proposer_share_percent, block.height))
