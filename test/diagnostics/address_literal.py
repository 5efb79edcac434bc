# Address literals must be "zv" followed by 64 lowercase hex digits.
from zvchain import Contract, Address, public


class Treasury(Contract):
    admin: Address

    def __init__(self) -> None:
        self.admin = Address("zv1234")  # expect: E0301

    @public
    def reset(self) -> None:
        self.admin = Address("zv" + "0" * 64)
