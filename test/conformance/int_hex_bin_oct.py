# hex, bin and oct of positive, zero and negative values.
def main() -> list[str]:
    print(hex(255), hex(-255), hex(0), hex(16))
    print(bin(5), bin(-5), bin(0), bin(1))
    print(oct(8), oct(-8), oct(0), oct(511))
    top = 2 ** 254 - 1 + 2 ** 254
    print(hex(top))
    print(hex(-top - 1))
    return [hex(-1), bin(-1), oct(-1), hex(3735928559)]
