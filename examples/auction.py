"""An open auction paid in native coin.

Anyone bids by calling `bid` with coin. A higher bid takes the lead; the coin of the bid it
beat is not sent back automatically but credited, and its owner takes it back with
`withdraw` (the "pull" pattern: the contract never sends coin to an address that did not
ask for it, so a failing recipient cannot block the auction). After the closing block height
anyone calls `end_auction`, which pays the highest bid to the beneficiary.

    zv run examples/auction.py blocks_left --deploy "<beneficiary address> 100"

Shows: @payable, msg.value, block.height, transfer and the pull pattern.
"""

from zvchain import Contract, Map, Address, Event
from zvchain import public, view, payable, msg, block, require, emit, transfer


class HighestBidIncreased(Event):
    bidder: Address
    amount: int


class AuctionEnded(Event):
    winner: Address
    amount: int


class Auction(Contract):
    beneficiary: Address
    end_height: int             # bids are accepted while block.height < end_height
    highest_bidder: Address
    highest_bid: int
    pending_returns: Map[Address, int]   # outbid coin waiting to be withdrawn
    ended: bool

    def __init__(self, beneficiary: Address, bidding_blocks: int) -> None:
        require(bidding_blocks > 0, "the auction must last at least one block")
        self.beneficiary = beneficiary
        self.end_height = block.height + bidding_blocks

    @payable
    def bid(self) -> None:
        require(block.height < self.end_height, "the auction has ended")
        require(msg.value > self.highest_bid, "there is already a higher or equal bid")
        if self.highest_bid > 0:
            # Credit the previous leader instead of sending: they withdraw it themselves.
            self.pending_returns[self.highest_bidder] += self.highest_bid
        self.highest_bidder = msg.sender
        self.highest_bid = msg.value
        emit(HighestBidIncreased(msg.sender, msg.value))

    @public
    def withdraw(self) -> int:
        amount = self.pending_returns[msg.sender]
        require(amount > 0, "nothing to withdraw")
        # Zero the credit before sending: a second withdraw finds nothing.
        self.pending_returns[msg.sender] = 0
        transfer(msg.sender, amount)
        return amount

    @public
    def end_auction(self) -> None:
        require(block.height >= self.end_height, "the auction is still open")
        require(not self.ended, "end_auction has already been called")
        self.ended = True
        emit(AuctionEnded(self.highest_bidder, self.highest_bid))
        if self.highest_bid > 0:
            transfer(self.beneficiary, self.highest_bid)

    @view
    def highest_bid_of(self) -> tuple[Address, int]:
        return (self.highest_bidder, self.highest_bid)

    @view
    def pending(self, bidder: Address) -> int:
        return self.pending_returns[bidder]

    @view
    def blocks_left(self) -> int:
        return max(self.end_height - block.height, 0)
