# Public and view methods must annotate every parameter and the return type.
from zvchain import Contract, Address, Map, public, view


class Ledger(Contract):
    balances: Map[Address, int]

    @public
    def credit(self, to, amount: int) -> None:  # expect: E0502
        self.balances[to] += amount

    @view
    def balance_of(self, owner: Address):  # expect: E0502
        return self.balances[owner]

    def _private_helper(self, x: int) -> int:
        return x
