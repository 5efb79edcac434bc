# Generators and async functions.
def numbers(n: int) -> list[int]:
    for i in range(n):
        yield i  # expect: E0415
    return []


async def fetch(n: int) -> int:  # expect: E0415
    return n
