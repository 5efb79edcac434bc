# Struct and event constructors check the number, types and names of their fields.
from zvchain import Contract, Address, Struct, Event, public, emit, msg


class Point(Struct):
    x: int
    y: int


class Moved(Event):
    who: Address
    to: Point


class Board(Contract):
    last: Point

    @public
    def move(self, x: int, y: int) -> None:
        a = Point(x)  # expect: E0302
        b = Point(x, "far")  # expect: E0301
        c = Point(x=x, z=y)  # expect: E0311
        self.last = Point(x, y)
        emit(Moved(msg.sender, x))  # expect: E0301
