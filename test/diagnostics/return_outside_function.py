# return at module level.
def helper() -> int:
    return 1


return helper()  # expect: E0314
