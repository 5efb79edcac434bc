# Calls through an interface are checked against its signatures.
from zvchain import Contract, Address, Interface, public, view


class IToken(Interface):
    def transfer(self, to: Address, amount: int) -> bool: ...

    @view
    def balance_of(self, owner: Address) -> int: ...


class Vault(Contract):
    token: Address

    @public
    def pay(self, to: Address, amount: int) -> bool:
        ok = IToken(self.token).transfer(amount, to)  # expect: E0301, E0301
        IToken(self.token).burn(amount)  # expect: E0204
        IToken(self.token, value=5).transfer(to, amount)  # expect: E0510
        left: str = IToken(self.token).balance_of(to)  # expect: E0301
        return ok
