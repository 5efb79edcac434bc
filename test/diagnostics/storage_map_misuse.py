# A storage Map is not a value: it has no truth value and cannot be iterated.
from zvchain import Contract, Address, Map, public, view


class Registry(Contract):
    names: Map[Address, str]

    @view
    def any_names(self) -> bool:
        if self.names:  # expect: E0303
            return True
        return False

    @view
    def count(self) -> int:
        n = 0
        for who in self.names:  # expect: E0306
            n += 1
        return n
