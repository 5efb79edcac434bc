# Events and structs hold annotated fields only; interfaces hold method signatures.
from zvchain import Contract, Address, Event, Struct, Interface, public


class Transfer(Event):
    sender: Address
    amount: int

    def describe(self) -> str:  # expect: E0509
        return "transfer"


class Position(Struct):
    x: int = 0  # expect: E0509
    y: int


class IToken(Interface):
    decimals: int  # expect: E0509

    def transfer(self, to: Address, amount: int) -> bool: ...
