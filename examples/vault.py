"""A token vault that issues shares: deposit tokens, receive shares, redeem shares for your
part of everything the vault holds.

The vault never holds a token balance of its own bookkeeping: it asks the token contract
(examples/token.py, or any contract with the IToken methods) through a cross-contract call.
Depositing takes two transactions, as with every token:

    1. token.approve(vault, amount)        the user allows the vault to pull `amount`
    2. vault.deposit(amount)               the vault pulls it with token.transfer_from

Shows: calling another contract through an `Interface` (stdlib.token.IToken), a component
base class from stdlib (`Pausable`, itself `Ownable`), and stdlib module functions (`mul_div`).
A failing inner call (say, an allowance too small) reverts the whole deposit.

    zv run examples/vault.py total_shares --deploy <token address>

(alone it has no token to talk to: test/examples.test.ts deploys both.)
"""

from zvchain import Map, Address, Event
from zvchain import public, view, msg, require, emit
from stdlib.pausable import Pausable
from stdlib.token import IToken
from stdlib.math import mul_div


class Deposit(Event):
    user: Address
    amount: int
    shares: int


class Withdraw(Event):
    user: Address
    amount: int
    shares: int


# Pausable brings the fields `owner` and `paused` and the methods only_owner, when_not_paused,
# pause, unpause and transfer_ownership.
class Vault(Pausable):
    token: Address
    shares: Map[Address, int]
    total: int                      # all shares issued

    def __init__(self, token: Address) -> None:
        self._set_owner(msg.sender)
        self.token = token

    @public
    def deposit(self, amount: int) -> int:
        self.when_not_paused()
        require(amount > 0, "amount must be positive")
        assets = self._assets()
        # The first depositor gets one share per token; later ones a proportional number,
        # rounded down (in favour of the vault).
        minted = amount if self.total == 0 else mul_div(amount, self.total, assets)
        require(minted > 0, "deposit too small for one share")
        # The cross-contract call: runs transfer_from in the token with msg.sender == the vault.
        ok = IToken(self.token).transfer_from(msg.sender, self.address, amount)
        require(ok, "token transfer failed")
        self.shares[msg.sender] += minted
        self.total += minted
        emit(Deposit(msg.sender, amount, minted))
        return minted

    @public
    def withdraw(self, shares: int) -> int:
        require(shares > 0, "shares must be positive")
        require(self.shares[msg.sender] >= shares, "not enough shares")
        amount = mul_div(shares, self._assets(), self.total)
        self.shares[msg.sender] -= shares
        self.total -= shares
        ok = IToken(self.token).transfer(msg.sender, amount)
        require(ok, "token transfer failed")
        emit(Withdraw(msg.sender, amount, shares))
        return amount

    @view
    def shares_of(self, user: Address) -> int:
        return self.shares[user]

    @view
    def total_shares(self) -> int:
        return self.total

    @view
    def value_of(self, user: Address) -> int:
        # What the user's shares are worth in tokens right now.
        if self.total == 0:
            return 0
        return mul_div(self.shares[user], self._assets(), self.total)

    def _assets(self) -> int:
        # A view call into the token: how many tokens the vault holds.
        return IToken(self.token).balance_of(self.address)
