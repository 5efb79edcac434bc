# An if statement without its colon, inside a contract method.
from zvchain import Contract, public, msg, require


class Counter(Contract):
    count: int

    @public
    def bump(self, by: int) -> int:
        if by > 100  # expect: E0011
            by = 100
        self.count += by
        return self.count
