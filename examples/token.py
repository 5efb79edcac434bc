"""A fungible token with allowances: the "hello world" of contracts.

Whoever deploys the token receives the whole initial supply and becomes its owner; only the
owner may mint new tokens, any holder may burn their own. Holders move tokens with
`transfer`, or let someone else move them with `approve` + `transfer_from` (this is how a
contract such as examples/vault.py takes a deposit: the user approves the vault, then the
vault pulls the tokens).

Try it:
    zv run examples/token.py balance_of <address> --deploy 1000
"""

from zvchain import Contract, Map, Address, Event
from zvchain import public, view, msg, require, emit


# Events are declared like structs; `emit(Transfer(...))` records one in the transaction's
# receipt, where wallets and indexers read it.
class Transfer(Event):
    sender: Address
    to: Address
    amount: int


class Approval(Event):
    owner: Address
    spender: Address
    amount: int


class Token(Contract):
    # Storage fields: annotated, with no value. Each starts at its type's default
    # (0, "", the zero address, an empty Map) and keeps its value between calls.
    name: str
    symbol: str
    owner: Address
    supply: int
    balances: Map[Address, int]
    # allowances[holder][spender]: how much `spender` may still move out of `holder`'s balance.
    allowances: Map[Address, Map[Address, int]]

    # The constructor runs once, when the contract is deployed.
    def __init__(self, initial_supply: int) -> None:
        require(initial_supply >= 0, "initial supply must not be negative")
        self.name = "Zv Token"
        self.symbol = "ZVT"
        self.owner = msg.sender
        self._mint(msg.sender, initial_supply)

    # ------------------------------------------------------------ moving tokens

    @public
    def transfer(self, to: Address, amount: int) -> bool:
        self._move(msg.sender, to, amount)
        return True

    @public
    def approve(self, spender: Address, amount: int) -> bool:
        require(amount >= 0, "amount must not be negative")
        # Writing 0 deletes the storage entry: a Map never stores defaults.
        self.allowances[msg.sender][spender] = amount
        emit(Approval(msg.sender, spender, amount))
        return True

    @public
    def transfer_from(self, sender: Address, to: Address, amount: int) -> bool:
        allowed = self.allowances[sender][msg.sender]
        require(allowed >= amount, "insufficient allowance")
        self.allowances[sender][msg.sender] = allowed - amount
        self._move(sender, to, amount)
        return True

    # ------------------------------------------------------------ supply

    @public
    def mint(self, to: Address, amount: int) -> None:
        require(msg.sender == self.owner, "only the owner can mint")
        self._mint(to, amount)

    @public
    def burn(self, amount: int) -> None:
        require(amount > 0, "amount must be positive")
        require(self.balances[msg.sender] >= amount, "insufficient balance")
        self.balances[msg.sender] -= amount
        self.supply -= amount
        # Burning is a transfer to the zero address, as far as indexers are concerned.
        emit(Transfer(msg.sender, zero_address(), amount))

    # ------------------------------------------------------------ views (read-only)

    @view
    def balance_of(self, owner: Address) -> int:
        return self.balances[owner]          # a missing key reads as 0

    @view
    def allowance(self, owner: Address, spender: Address) -> int:
        return self.allowances[owner][spender]

    @view
    def total_supply(self) -> int:
        return self.supply

    @view
    def describe(self) -> str:
        return f"{self.name} ({self.symbol}), supply {self.supply}"

    # ------------------------------------------------------------ private helpers
    # Methods without a decorator cannot be called from outside the contract.

    def _move(self, sender: Address, to: Address, amount: int) -> None:
        require(amount > 0, "amount must be positive")
        require(self.balances[sender] >= amount, "insufficient balance")
        self.balances[sender] -= amount
        self.balances[to] += amount
        emit(Transfer(sender, to, amount))

    def _mint(self, to: Address, amount: int) -> None:
        # `self.supply + amount` can never wrap around: past 2**255 - 1 the call reverts
        # with "integer overflow" and nothing is minted.
        self.supply += amount
        self.balances[to] += amount
        emit(Transfer(zero_address(), to, amount))


def zero_address() -> Address:
    # Module-level functions are shared by all methods (and callable with `zv run`).
    return Address("zv0000000000000000000000000000000000000000000000000000000000000000")
