# *args and **kwargs parameters.
def total(*amounts: int) -> int:  # expect: E0406
    return 0


def configure(**options: int) -> int:  # expect: E0406
    return 0
