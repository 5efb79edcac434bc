# The constructor runs once, at deploy; it cannot be called again.
from zvchain import Contract, public


class Counter(Contract):
    count: int

    def __init__(self, start: int) -> None:
        self.count = start

    @public
    def reset(self) -> None:
        self.__init__(0)  # expect: E0508
