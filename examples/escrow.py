"""An escrow: a buyer pays into the contract, and the coin goes to the seller only once the
buyer (or an arbiter) says the goods arrived; otherwise the seller or the arbiter refunds it.

The buyer deploys the contract, naming the seller, an arbiter both trust, and the price:
    zv run examples/escrow.py get_state --deploy "<seller address> <arbiter address> 500"

Life cycle (the `state` field):
    "awaiting_payment" --deposit()--> "awaiting_delivery" --release()--> "complete"
                                                          \\--refund()---> "refunded"

This contract holds native coin: `deposit` is `@payable`, so the coin sent with the call
(`msg.value`) lands in the contract's balance (`self.balance`), and `transfer(to, amount)`
pays it out.
"""

from zvchain import Contract, Address, Event
from zvchain import public, view, payable, msg, require, emit, transfer


class Deposited(Event):
    buyer: Address
    amount: int


class Released(Event):
    seller: Address
    amount: int
    by: Address


class Refunded(Event):
    buyer: Address
    amount: int
    by: Address


class Escrow(Contract):
    buyer: Address
    seller: Address
    arbiter: Address
    price: int
    state: str

    def __init__(self, seller: Address, arbiter: Address, price: int) -> None:
        require(price > 0, "price must be positive")
        require(seller != msg.sender, "buyer and seller must differ")
        self.buyer = msg.sender
        self.seller = seller
        self.arbiter = arbiter
        self.price = price
        self.state = "awaiting_payment"

    # @payable: the only kind of method that accepts coin. A call with value to any other
    # method reverts before the method runs.
    @payable
    def deposit(self) -> None:
        require(msg.sender == self.buyer, "only the buyer can deposit")
        require(self.state == "awaiting_payment", "already paid")
        require(msg.value == self.price, f"send exactly {self.price}")
        self.state = "awaiting_delivery"
        emit(Deposited(msg.sender, msg.value))

    @public
    def release(self) -> None:
        # The buyer confirms delivery, or the arbiter decides for the seller.
        require(msg.sender == self.buyer or msg.sender == self.arbiter,
                "only the buyer or the arbiter can release")
        require(self.state == "awaiting_delivery", "nothing to release")
        amount = self.balance
        # Update the state before paying out: the contract never pays twice.
        self.state = "complete"
        transfer(self.seller, amount)
        emit(Released(self.seller, amount, msg.sender))

    @public
    def refund(self) -> None:
        # The seller gives up, or the arbiter decides for the buyer.
        require(msg.sender == self.seller or msg.sender == self.arbiter,
                "only the seller or the arbiter can refund")
        require(self.state == "awaiting_delivery", "nothing to refund")
        amount = self.balance
        self.state = "refunded"
        transfer(self.buyer, amount)
        emit(Refunded(self.buyer, amount, msg.sender))

    @view
    def get_state(self) -> str:
        return self.state

    @view
    def held(self) -> int:
        return self.balance

    @view
    def parties(self) -> tuple[Address, Address, Address]:
        return (self.buyer, self.seller, self.arbiter)
