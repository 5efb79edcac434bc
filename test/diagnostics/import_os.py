# Only zvchain, typing and stdlib components can be imported.
import os  # expect: E0401
from math import sqrt  # expect: E0401
from zvchain import Contract, public


class Files(Contract):
    count: int

    @public
    def touch(self) -> int:
        self.count += 1
        return self.count
