# global state belongs in storage fields.
def bump() -> int:
    global counter  # expect: E0411
    counter = 1
    return counter
