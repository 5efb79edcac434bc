# A storage field and a method declared twice.
from zvchain import Contract, Address, Map, public


class Registry(Contract):
    owner: Address
    names: Map[Address, str]
    owner: Address  # expect: E0202

    @public
    def register(self, name: str) -> None:
        pass

    @public
    def register(self, name: str) -> None:  # expect: E0202
        pass
