# The constructor returns None and takes only @payable.
from zvchain import Contract, public, view


class Token(Contract):
    supply: int

    @view  # expect: E0508
    def __init__(self, supply: int) -> int:  # expect: E0508
        self.supply = supply
        return supply
