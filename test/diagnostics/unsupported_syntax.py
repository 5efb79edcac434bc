# match statements and module-level variables.
FEE_BPS = 30  # expect: E0420


def classify(code: int) -> str:
    match code:  # expect: E0420
        case 200:
            return "ok"
        case _:
            return "error"
    return "unknown"
