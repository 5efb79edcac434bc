# Storage fields are declared with a type and no value.
from zvchain import Contract, Address, public


class Config(Contract):
    owner: Address
    paused = False  # expect: E0503
    limit: int = 100  # expect: E0503

    @public
    def get_limit(self) -> int:
        return self.limit
