# with statements: there are no resources to manage.
def read_config(path: str) -> str:
    with open(path) as f:  # expect: E0414
        pass
    return path
