# str() and repr() of nested containers show the reprs of the elements.
from typing import Optional


def main() -> list[str]:
    nested: dict[str, list[str]] = {"names": ["a'b", "c"], "empty": []}
    pairs = [(1, "x"), (2, "y\n")]
    opts: list[Optional[str]] = ["s", None]
    blob = {b"k": [b"\x00", b"v"]}
    deep = [[[1, 2], [3]], [[4]]]
    one = (7,)
    print(str(nested))
    print(repr(nested))
    print(str(pairs), repr(pairs))
    print(str(opts), str(blob))
    print(str(deep), str(one), repr("q"), str("q"))
    return [repr(deep), str({(1, 2): ("a", True)}), repr([one, one]), repr(blob)]
