"""The fungible-token interface and its events, for contracts that use a token.

    from stdlib.token import IToken, Transfer, Approval

    class Vault(Contract):
        token: Address

        @public
        def deposit(self, amount: int) -> None:
            ok = IToken(self.token).transfer_from(msg.sender, self.address, amount)
            require(ok, "token transfer failed")

`IToken` lists the methods of examples/token.py (and of any token with the same methods):
calling one through `IToken(address)` runs it in the token contract with `msg.sender` set
to the calling contract. `Transfer` and `Approval` are the events such a token emits; a
token contract may import them instead of declaring its own.
"""

from zvchain import Address, Event, Interface, view


class Transfer(Event):
    sender: Address
    to: Address
    amount: int


class Approval(Event):
    owner: Address
    spender: Address
    amount: int


class IToken(Interface):
    def transfer(self, to: Address, amount: int) -> bool: ...

    def approve(self, spender: Address, amount: int) -> bool: ...

    def transfer_from(self, sender: Address, to: Address, amount: int) -> bool: ...

    @view
    def balance_of(self, owner: Address) -> int: ...

    @view
    def allowance(self, owner: Address, spender: Address) -> int: ...

    @view
    def total_supply(self) -> int: ...
