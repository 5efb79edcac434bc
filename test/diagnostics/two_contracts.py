# One contract per file.
from zvchain import Contract, public


class First(Contract):
    a: int

    @public
    def get(self) -> int:
        return self.a


class Second(Contract):  # expect: E0504
    b: int

    @public
    def get(self) -> int:
        return self.b
