"""Pausable: an Ownable contract whose owner can stop and restart its normal operation.

    from stdlib.pausable import Pausable

    class Shop(Pausable):
        def __init__(self) -> None:
            self._set_owner(msg.sender)

        @payable
        def buy(self) -> None:
            self.when_not_paused()          # reverts "contract is paused" while paused
            ...

The owner calls `pause()` and `unpause()`; both emit an event naming the caller. Storage:
`owner` (from Ownable), then `paused`.
"""

from zvchain import Address, Event, public, view, msg, require, emit
from stdlib.ownable import Ownable


class Paused(Event):
    account: Address


class Unpaused(Event):
    account: Address


class Pausable(Ownable):
    paused: bool

    def when_not_paused(self) -> None:
        require(not self.paused, "contract is paused")

    def when_paused(self) -> None:
        require(self.paused, "contract is not paused")

    @public
    def pause(self) -> None:
        self.only_owner()
        self.when_not_paused()
        self.paused = True
        emit(Paused(msg.sender))

    @public
    def unpause(self) -> None:
        self.only_owner()
        self.when_paused()
        self.paused = False
        emit(Unpaused(msg.sender))

    @view
    def is_paused(self) -> bool:
        return self.paused
