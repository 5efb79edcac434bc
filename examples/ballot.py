"""Voting with delegation.

The chairperson deploys the ballot with the proposal names and gives each voter the right
to vote. A voter either votes for a proposal or delegates their vote to someone they trust;
delegation follows chains (A delegates to B who delegates to C) and refuses loops.

    zv run examples/ballot.py winner_name --deploy '[["tea", "coffee"]]'

Shows: structs (`Voter`, `Proposal`), a `Map` of structs, a storage list, loops, and the
read-modify-write pattern for structs in storage.
"""

from zvchain import Contract, Map, Address, Struct, Event
from zvchain import public, view, msg, require, emit


class Voter(Struct):
    weight: int          # votes this voter holds (0: no right to vote)
    voted: bool          # already voted or delegated
    delegate: Address    # to whom the vote was delegated (zero address if none)
    vote: int            # index of the proposal voted for


class Proposal(Struct):
    name: str
    vote_count: int


class Voted(Event):
    voter: Address
    proposal: int
    weight: int


class Delegated(Event):
    voter: Address
    to: Address


class Ballot(Contract):
    chairperson: Address
    voters: Map[Address, Voter]      # a missing voter reads as Voter() with every field default
    proposals: list[Proposal]

    def __init__(self, proposal_names: list[str]) -> None:
        require(len(proposal_names) > 0, "at least one proposal")
        self.chairperson = msg.sender
        # A struct is read out of storage, changed, and written back in one assignment.
        self.voters[msg.sender] = Voter(1, False, no_one(), 0)
        for name in proposal_names:
            self.proposals.append(Proposal(name, 0))

    @public
    def give_right_to_vote(self, voter: Address) -> None:
        require(msg.sender == self.chairperson, "only the chairperson can give the right to vote")
        v = self.voters[voter]
        require(not v.voted, "the voter already voted")
        require(v.weight == 0, "the voter already has the right to vote")
        v.weight = 1
        self.voters[voter] = v

    @public
    def delegate(self, to: Address) -> None:
        sender = self.voters[msg.sender]
        require(sender.weight > 0, "no right to vote")
        require(not sender.voted, "already voted")
        require(to != msg.sender, "self-delegation is not allowed")

        # Follow the chain of delegations to its end. The loop is bounded by the number of
        # voters, and a chain that comes back to the sender is refused.
        while self.voters[to].delegate != no_one():
            to = self.voters[to].delegate
            require(to != msg.sender, "found a loop in the delegation")

        target = self.voters[to]
        require(target.weight > 0, "cannot delegate to a voter without the right to vote")

        sender.voted = True
        sender.delegate = to
        self.voters[msg.sender] = sender

        if target.voted:
            # The delegate already voted: add the weight to that proposal directly.
            self._add_votes(target.vote, sender.weight)
        else:
            target.weight += sender.weight
            self.voters[to] = target
        emit(Delegated(msg.sender, to))

    @public
    def vote(self, proposal: int) -> None:
        require(proposal >= 0 and proposal < len(self.proposals), "no such proposal")
        sender = self.voters[msg.sender]
        require(sender.weight > 0, "no right to vote")
        require(not sender.voted, "already voted")
        sender.voted = True
        sender.vote = proposal
        self.voters[msg.sender] = sender
        self._add_votes(proposal, sender.weight)
        emit(Voted(msg.sender, proposal, sender.weight))

    @view
    def winning_proposal(self) -> int:
        # Ties go to the proposal listed first.
        best = 0
        best_count = -1
        for i, p in enumerate(self.proposals):
            if p.vote_count > best_count:
                best = i
                best_count = p.vote_count
        return best

    @view
    def winner_name(self) -> str:
        return self.proposals[self.winning_proposal()].name

    @view
    def results(self) -> list[int]:
        return [p.vote_count for p in self.proposals]

    @view
    def voter(self, who: Address) -> Voter:
        return self.voters[who]

    def _add_votes(self, proposal: int, weight: int) -> None:
        p = self.proposals[proposal]
        p.vote_count += weight
        self.proposals[proposal] = p


def no_one() -> Address:
    # The zero address: the default of an Address field, here meaning "no delegate".
    return Address("zv0000000000000000000000000000000000000000000000000000000000000000")
