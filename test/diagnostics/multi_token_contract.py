# A token written with several Python habits; every problem is reported.
from zvchain import Contract, Address, Map, Event, public, view, emit, msg, require


class Transfer(Event):
    sender: Address
    to: Address
    amount: int


class Token(Contract):
    balances: Map[Address, int]
    total_supply: int
    name = "Token"  # expect: E0503

    def __init__(self, supply: int) -> None:
        self.balances[msg.sender] = supply
        self.total_supply = supply

    @public
    def transfer(self, to, amount: int) -> bool:  # expect: E0502
        require(self.balances[msg.sender] >= amount, "insufficient balance")
        burn = amount / 100  # expect: E0402
        self.balances[msg.sender] -= amount
        self.balances[to] += amount - burn
        emit(Transfer(msg.sender, to, amount))
        return True

    @view
    def balance_of(self, owner: Address) -> int:
        self.total_supply += 0  # expect: E0501
        return self.balances[owner]

    @view
    def price(self) -> int:
        return 1.5  # expect: E0403
