"""Runs one benchmark workload under CPython (through the zvchain shim) and prints JSON.

    python3 bench/cpython_driver.py '<spec as JSON>'

The spec (built by bench/run.ts, which runs the same work in the TVM):
    {"kind": "function", "file": "bench/workloads/arith.py", "fn": "arith", "args": [200000]}
    {"kind": "call", "file": "bench/workloads/storage.py", "deploy": [], "method": "fill", "args": [2000]}
    {"kind": "token", "file": "examples/token.py", "transfers": 2000, "accounts": 8}
plus "warmup" (untimed runs first, default 1), "runs" (timed repetitions after the warm-up) and "budget_s" (stop repeating once the
timed runs have taken this long; at least one timed run always happens).

Prints {"result": <value in the JSON form below>, "times_ms": [...]}: each time is one run
measured with time.perf_counter inside this process, so interpreter start-up is not counted.
Values in the JSON form of bench/shim/scenario.py: int -> {"int": "123"}, bool, str,
None -> null, list/tuple -> list, Address -> its string.
"""

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'bench' / 'shim'))

import zvchain  # noqa: E402  (needs the path above)
from scenario import to_json  # noqa: E402


def function_runner(spec):
    module = zvchain.load_module(ROOT / spec['file'])
    fn = getattr(module, spec['fn'])
    args = spec['args']
    return lambda: (lambda: fn(*args))


def call_runner(spec):
    # A fresh contract per run (deployed outside the timed part), then the one timed call.
    cls = zvchain.contract_class(zvchain.load_module(ROOT / spec['file']))
    sender = zvchain.Chain.account(1)

    def prepare():
        chain = zvchain.Chain()
        address = chain.deploy(cls, *spec['deploy'], sender=sender)
        return lambda: chain.call(address, spec['method'], *spec['args'], sender=sender)

    return prepare


def token_runner(spec):
    # Deploy, hand every account a starting balance, then `transfers` transfers round-robin:
    # account i % k pays account (i + 1) % k an amount of 1 + i * i % 11. Result: the final
    # balances.
    cls = zvchain.contract_class(zvchain.load_module(ROOT / spec['file']))
    accounts = [zvchain.Chain.account(i + 1) for i in range(spec['accounts'])]
    n = spec['transfers']

    def prepare():
        chain = zvchain.Chain()
        token = chain.deploy(cls, 10 ** 9, sender=accounts[0])
        for a in accounts[1:]:
            chain.call(token, 'transfer', a, 10 ** 6, sender=accounts[0])

        def run():
            k = len(accounts)
            for i in range(n):
                chain.call(token, "transfer", accounts[(i + 1) % k], 1 + i * i % 11, sender=accounts[i % k])
            return [chain.call(token, 'balance_of', a, sender=accounts[0]) for a in accounts]

        return run

    return prepare


RUNNERS = {'function': function_runner, 'call': call_runner, 'token': token_runner}


def main():
    spec = json.loads(sys.argv[1])
    prepare = RUNNERS[spec['kind']](spec)
    result = prepare()()  # first warm-up run (also the result that is compared)
    for _ in range(spec.get('warmup', 1) - 1):
        prepare()()
    times = []
    budget = spec.get('budget_s', 10.0)
    spent = 0.0
    for _ in range(spec.get('runs', 5)):
        run = prepare()
        start = time.perf_counter()
        again = run()
        elapsed = time.perf_counter() - start
        if again != result:
            raise SystemExit(f'non-deterministic result: {again!r} != {result!r}')
        times.append(elapsed * 1000)
        spent += elapsed
        if spent > budget:
            break
    print(json.dumps({'result': to_json(result), 'times_ms': times}))


if __name__ == '__main__':
    main()
