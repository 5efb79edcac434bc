# A @view method may not change state: no storage writes, events or transfers.
from zvchain import Contract, Address, Map, Event, view, public, emit, transfer, msg


class Looked(Event):
    who: Address


class Shop(Contract):
    visits: int
    seen: Map[Address, bool]

    @view
    def price(self, item: int) -> int:
        self.visits += 1  # expect: E0501
        self.seen[msg.sender] = True  # expect: E0501
        emit(Looked(msg.sender))  # expect: E0501
        transfer(msg.sender, 1)  # expect: E0501
        return item * 2

    @public
    def buy(self, item: int) -> int:
        self.visits += 1
        return item
