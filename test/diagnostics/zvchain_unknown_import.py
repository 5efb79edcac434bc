# Only the names of the contract library can be imported from zvchain.
from zvchain import Contract, Mapping, public  # expect: E0401


class Store(Contract):
    size: int

    @public
    def get(self) -> int:
        return self.size
