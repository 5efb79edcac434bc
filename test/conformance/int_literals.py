# Integer literal forms: hex, octal, binary, underscores.
def main() -> list[int]:
    print(0xFF, 0xff_ff, 0o17, 0b1010, 1_000_000, 0, 00)
    print(0XAB, 0O7, 0B11, 0x_1F)
    big = 0x7FFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF
    print(big, big == 2 ** 254 - 1 + 2 ** 254)
    return [0b1111_0000, 0o777, 0xDEAD_BEEF, -0x10, 1_2_3]
