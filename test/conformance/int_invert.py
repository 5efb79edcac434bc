# ~x == -x - 1, including at the ends of the range.
def main() -> list[int]:
    xs = [0, 1, -1, 255, -256, 2 ** 254, -(2 ** 254)]
    for x in xs:
        assert ~x == -x - 1
    top = 2 ** 254 - 1 + 2 ** 254
    print(~top)
    print(~~5, ~-5)
    return [~x for x in xs]
