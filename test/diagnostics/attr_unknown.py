# Unknown attributes of msg, block and of the contract's storage.
from zvchain import Contract, Address, public, msg, block


class Vault(Contract):
    owner: Address
    total: int

    def __init__(self) -> None:
        self.owner = msg.sendr  # expect: E0203

    @public
    def deposit(self, amount: int) -> int:
        self.totl += amount  # expect: E0203
        return block.number  # expect: E0203
