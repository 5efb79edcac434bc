# msg.value is only meaningful in a @payable method.
from zvchain import Contract, Address, Map, public, payable, msg


class Vault(Contract):
    deposits: Map[Address, int]

    @public
    def deposit(self) -> int:
        self.deposits[msg.sender] += msg.value  # expect: E0510
        return self.deposits[msg.sender]

    @payable
    def deposit_paid(self) -> int:
        self.deposits[msg.sender] += msg.value
        return self.deposits[msg.sender]
