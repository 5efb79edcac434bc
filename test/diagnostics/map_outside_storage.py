# Map is a storage type; in memory use dict.
from zvchain import Contract, Address, Map, public


class Book(Contract):
    entries: Map[Address, int]

    @public
    def merge(self, other: Map[Address, int]) -> int:  # expect: E0506
        cache: Map[Address, int] = {}  # expect: E0506
        return 0


def count(m: Map[int, int]) -> int:  # expect: E0506
    return 0
