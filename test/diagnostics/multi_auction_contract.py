# An auction that misuses msg.value, views and Map.
from zvchain import Contract, Address, Map, public, view, payable, msg, transfer


class Auction(Contract):
    highest: int
    leader: Address
    refunds: Map[Address, int]

    @public
    def bid(self) -> None:  # bids must carry value, so this should be @payable
        if msg.value > self.highest:  # expect: E0510
            self.refunds[self.leader] += self.highest
            self.highest = msg.value  # expect: E0510
            self.leader = msg.sender

    @view
    def withdraw(self) -> int:
        amount = self.refunds[msg.sender]
        self.refunds[msg.sender] = 0  # expect: E0501
        transfer(msg.sender, amount)  # expect: E0501
        return amount

    @view
    def bidders(self) -> int:
        return len(self.refunds)  # expect: E0303
