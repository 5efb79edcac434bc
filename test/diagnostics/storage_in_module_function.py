# Events and transfers belong to contract methods, not module-level functions.
from zvchain import Contract, Address, Event, public, emit, transfer


class Paid(Event):
    to: Address
    amount: int


def pay_out(to: Address, amount: int) -> None:
    transfer(to, amount)  # expect: E0507
    emit(Paid(to, amount))  # expect: E0507


class Payroll(Contract):
    total: int

    @public
    def run(self, to: Address) -> int:
        return self.total
