# Methods take @public, @view or @payable; module functions take none.
from zvchain import Contract, public


class Api(Contract):
    hits: int

    @external  # expect: E0505
    def ping(self) -> int:
        return 1

    @staticmethod  # expect: E0505
    def helper(self) -> int:
        return 2

    @public
    def get(self) -> int:
        return self.hits


@public  # expect: E0505
def module_helper(x: int) -> int:
    return x
