"""Ownable: a contract with an owner who alone may call some of its methods.

Derive from it instead of `Contract`:

    from stdlib.ownable import Ownable

    class Treasury(Ownable):
        def __init__(self) -> None:
            self._set_owner(msg.sender)     # the deployer owns the contract

        @public
        def sweep(self, to: Address) -> None:
            self.only_owner()               # reverts "caller is not the owner" for anyone else
            transfer(to, self.balance)

The `owner` field is the first storage field of every contract deriving from Ownable.
A derived contract that defines its own constructor must set the owner itself, by calling
`self._set_owner(msg.sender)` (its constructor replaces this one, as in Python).
"""

from zvchain import Contract, Address, Event, public, view, msg, require, emit


class OwnershipTransferred(Event):
    previous_owner: Address
    new_owner: Address


class Ownable(Contract):
    owner: Address

    def __init__(self) -> None:
        self._set_owner(msg.sender)

    def only_owner(self) -> None:
        # The access check: call it first in every owner-only method.
        require(msg.sender == self.owner, "caller is not the owner")

    def _set_owner(self, new_owner: Address) -> None:
        # Every change of owner goes through here, so every change is announced.
        previous = self.owner
        self.owner = new_owner
        emit(OwnershipTransferred(previous, new_owner))

    @public
    def transfer_ownership(self, new_owner: Address) -> None:
        self.only_owner()
        require(new_owner != Address("zv0000000000000000000000000000000000000000000000000000000000000000"),
                "new owner is the zero address")
        self._set_owner(new_owner)

    @view
    def get_owner(self) -> Address:
        return self.owner
