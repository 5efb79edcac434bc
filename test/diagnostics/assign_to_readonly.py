# Tuples, strings and msg are read-only.
from zvchain import Contract, Address, public, msg


class Wallet(Contract):
    owner: Address

    @public
    def take(self, to: Address) -> str:
        pair = (1, 2)
        pair[0] = 5  # expect: E0312
        name = "abc"
        name[0] = "x"  # expect: E0312
        msg.sender = to  # expect: E0312
        return name
