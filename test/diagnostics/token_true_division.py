# A token that computes its fee with true division.
from zvchain import Contract, Address, Map, public, msg, require


class FeeToken(Contract):
    balances: Map[Address, int]
    fee_bps: int

    def __init__(self, supply: int) -> None:
        self.balances[msg.sender] = supply
        self.fee_bps = 30

    @public
    def transfer(self, to: Address, amount: int) -> bool:
        require(self.balances[msg.sender] >= amount, "insufficient balance")
        fee = amount * self.fee_bps / 10000  # expect: E0402
        self.balances[msg.sender] -= amount
        self.balances[to] += amount - fee
        return True

    @public
    def halve_fee(self) -> int:
        self.fee_bps /= 2  # expect: E0402
        return self.fee_bps
