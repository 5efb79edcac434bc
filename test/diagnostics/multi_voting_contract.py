# A voting contract with type errors in several methods.
from zvchain import Contract, Address, Map, public, view, msg, require


class Ballot(Contract):
    votes: Map[str, int]
    voted: Map[Address, bool]
    deadline: int

    def __init__(self, deadline: int) -> None:
        self.deadline = deadline

    @public
    def vote(self, choice: str) -> None:
        require(not self.voted[msg.sender], "already voted")
        self.voted[msg.sender] = "yes"  # expect: E0301
        self.votes[choice] += 1

    @view
    def tally(self, choice: str) -> int:
        if choice == 1:  # expect: E0303
            return 0
        return self.votes[choise]  # expect: E0201

    @view
    def is_open(self, now: int) -> bool:
        return self._before(now)  # expect: E0302

    def _before(self, now: int, margin: int) -> bool:
        return now + margin < self.deadline
