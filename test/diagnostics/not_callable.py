# Calling values that are not functions.
from zvchain import Contract, public


class Counter(Contract):
    count: int

    @public
    def bump(self) -> int:
        limit = 10
        if limit() > 3:  # expect: E0304
            return self.count()  # expect: E0304
        return 0
