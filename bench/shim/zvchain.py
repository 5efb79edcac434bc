"""CPython shim of the `zvchain` contract library.

Every contract of the ZV language is also a CPython program: with this file on `sys.path`
(and the repository root, so `from stdlib.x import Y` resolves to `stdlib/x.py`), the same
source runs under python3. The shim models what a contract can observe on chain:

* storage fields: the annotations of a `Contract` class become instance attributes set to
  their type's default at deploy; `Map[K, V]` fields are dicts that read missing keys as the
  default of `V` and delete an entry when the default is written (as the TVM does);
* `msg`, `block`, `self.address`, `self.balance`, native-coin balances, `transfer`, events,
  `print` (captured into the call's log), `require`/`revert`/`assert` (a `Revert`);
* `Chain`: deploys contract classes and calls their methods with a sender and a value, rolls
  every effect of a failed call back (storage, balances, events), routes calls made through
  an `Interface` to the contract at that address (at most 8 contracts deep).

Known differences from the TVM, by design of a shim: intermediate integer results are not
range checked (only ints written to storage or returned by a call are), there is no gas, the
recursion limit is CPython's, a `@view` method is not stopped from writing (the compiler
rejects that statically, E0501), and a struct read out of a `Map` or a storage list aliases
storage (in the TVM it is a copy: write it back with `self.m[k] = v`, which is correct in both).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import importlib.util
import io
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any, Callable, Optional

__all__ = [
    'Contract', 'Map', 'Address', 'Struct', 'Event', 'Interface',
    'public', 'view', 'payable', 'msg', 'block', 'require', 'revert', 'emit', 'transfer',
    'balance', 'sha256', 'keccak256', 'Revert', 'Chain', 'Receipt', 'load_module',
    'contract_class', 'ZERO_ADDRESS', 'INT_MIN', 'INT_MAX',
]

INT_MIN = -(1 << 255)
INT_MAX = (1 << 255) - 1
MAX_CONTRACT_DEPTH = 8

# Make `from stdlib.x import Y` work: the repository root (two levels above this file's
# folder) goes on sys.path, and `stdlib/` is then an implicit namespace package.
_REPO_ROOT = Path(__file__).resolve().parents[2]
if str(_REPO_ROOT) not in sys.path:
    sys.path.append(str(_REPO_ROOT))


# ---------------------------------------------------------------- reverts


class Revert(Exception):
    """A contract call failed; `reason` is the message the TVM would report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def require(cond: Any, message: str = 'requirement failed') -> None:
    if not cond:
        raise Revert(message)


def revert(message: str) -> typing.NoReturn:
    raise Revert(message)


def _reason_of(exc: BaseException) -> Optional[str]:
    """The revert reason for an exception raised by contract code, or None for a real bug
    (a TypeError or NameError is a program the compiler would reject: let it surface)."""
    if isinstance(exc, Revert):
        return exc.reason
    if isinstance(exc, AssertionError):
        return f'assertion failed: {exc.args[0]}' if exc.args else 'assertion failed'
    if isinstance(exc, ZeroDivisionError):
        return 'division by zero'
    if isinstance(exc, IndexError):
        return 'index out of range'
    if isinstance(exc, KeyError):
        return 'key not found'
    if isinstance(exc, RecursionError):
        return 'call depth exceeded'
    if isinstance(exc, OverflowError):
        return 'integer overflow'
    if isinstance(exc, ValueError):
        return str(exc)
    return None


def _check_int(value: Any) -> Any:
    if type(value) is int and not INT_MIN <= value <= INT_MAX:
        raise Revert('integer overflow')
    return value


# ---------------------------------------------------------------- Address

_ADDRESS_RE = re.compile(r'zv[0-9a-f]{64}')


class Address(str):
    """A 32-byte account address, spelled "zv" + 64 lowercase hex digits."""

    __slots__ = ()

    def __new__(cls, value: Any) -> 'Address':
        if type(value) is Address:
            return value
        if isinstance(value, (bytes, bytearray)):
            if len(value) != 32:
                raise Revert('invalid address')
            return str.__new__(cls, 'zv' + bytes(value).hex())
        if not isinstance(value, str) or not _ADDRESS_RE.fullmatch(value):
            raise Revert('invalid address')
        return str.__new__(cls, value)

    def __repr__(self) -> str:
        return f'Address({str.__repr__(self)})'

    def __deepcopy__(self, memo: dict) -> 'Address':
        return self

    def __copy__(self) -> 'Address':
        return self


ZERO_ADDRESS = Address('zv' + '0' * 64)


# ---------------------------------------------------------------- types and defaults


class _MapSpec:
    """What `Map[K, V]` evaluates to in an annotation."""

    __slots__ = ('key', 'value')

    def __init__(self, key: Any, value: Any) -> None:
        self.key = key
        self.value = value

    def __repr__(self) -> str:
        return f'Map[{_type_name(self.key)}, {_type_name(self.value)}]'


def _type_name(tp: Any) -> str:
    return getattr(tp, '__name__', None) or repr(tp)


def _is_optional(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(tp)


_SCALAR_DEFAULTS: dict[Any, Any] = {int: 0, bool: False, str: '', bytes: b'', Address: ZERO_ADDRESS}


def _factory(tp: Any) -> Callable[[], Any]:
    """A function returning a fresh default value of the annotated type `tp`."""
    if tp in _SCALAR_DEFAULTS:
        value = _SCALAR_DEFAULTS[tp]
        return lambda: value
    if tp is None or tp is type(None) or _is_optional(tp):
        return lambda: None
    if isinstance(tp, _MapSpec):
        return lambda: _new_map(tp)
    if isinstance(tp, type) and issubclass(tp, Struct):
        return tp._zv_default
    origin = typing.get_origin(tp)
    if origin is list:
        return list
    if origin is dict:
        return dict
    if origin is tuple:
        parts = [_factory(a) for a in typing.get_args(tp)]
        return lambda: tuple(p() for p in parts)
    raise TypeError(f'zvchain shim: unsupported type annotation {tp!r}')


def _is_mutable(tp: Any) -> bool:
    """Values of the type can change in place (so a snapshot must copy them)."""
    if isinstance(tp, _MapSpec):
        return True
    if isinstance(tp, type) and issubclass(tp, Struct):
        return True
    origin = typing.get_origin(tp)
    if origin in (list, dict):
        return True
    if origin is tuple:
        return any(_is_mutable(a) for a in typing.get_args(tp))
    if _is_optional(tp):
        return any(_is_mutable(a) for a in typing.get_args(tp) if a is not type(None))
    return False


def _annotations(cls: type, stop: type) -> dict[str, Any]:
    """Annotated fields of `cls` and its bases below `stop`, base classes first."""
    fields: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass is stop or not issubclass(klass, stop):
            continue
        module = sys.modules.get(klass.__module__)
        scope = vars(module) if module else {}
        for name, tp in klass.__dict__.get('__annotations__', {}).items():
            if isinstance(tp, str):
                tp = eval(tp, scope, dict(vars(klass)))  # noqa: S307 - annotation text
            fields[name] = tp
    return fields


# ---------------------------------------------------------------- storage maps and the journal

_ABSENT = object()


class _Journal:
    """Undo records of Map writes made during the outermost running call."""

    entries: Optional[list] = None


def _record(m: 'Map', key: Any) -> None:
    entries = _Journal.entries
    if entries is not None:
        old = dict.get(m, key, _ABSENT)
        if old is not _ABSENT and m._mutable and not isinstance(old, Map):
            old = copy.deepcopy(old)
        entries.append((m, key, old))


class Map(dict):
    """A storage map. In annotations `Map[K, V]`; at run time a dict whose missing keys read
    as V's default, where writing the default deletes the entry and `k in m` tells whether
    the entry holds something other than the default (as TVM storage does)."""

    __slots__ = ('_default', '_factory', '_mutable')

    def __class_getitem__(cls, params: Any) -> _MapSpec:
        key, value = params
        return _MapSpec(key, value)

    def __missing__(self, key: Any) -> Any:
        if not self._mutable:
            return self._default
        # A struct, list or nested map is created so that in-place changes stick.
        _record(self, key)
        value = self._factory()
        dict.__setitem__(self, key, value)
        return value

    def __setitem__(self, key: Any, value: Any) -> None:
        _record(self, key)
        if value == self._default:
            dict.pop(self, key, None)
        else:
            dict.__setitem__(self, key, _check_int(value))

    def __delitem__(self, key: Any) -> None:
        _record(self, key)
        dict.pop(self, key, None)

    def __contains__(self, key: Any) -> bool:
        value = dict.get(self, key, _ABSENT)
        return value is not _ABSENT and value != self._default


class _MutableMap(Map):
    """A map whose values change in place: a read records an undo copy first."""

    __slots__ = ()

    def __getitem__(self, key: Any) -> Any:
        value = dict.get(self, key, _ABSENT)
        if value is _ABSENT:
            return self.__missing__(key)
        if _Journal.entries is not None and not isinstance(value, Map):
            _record(self, key)
        return value


def _new_map(spec: _MapSpec) -> Map:
    mutable = _is_mutable(spec.value)
    m = (_MutableMap if mutable else Map)()
    m._factory = _factory(spec.value)
    m._default = m._factory()
    m._mutable = mutable
    return m


def _undo(entries: list, start: int) -> None:
    for m, key, old in reversed(entries[start:]):
        if old is _ABSENT:
            dict.pop(m, key, None)
        else:
            dict.__setitem__(m, key, old)
    del entries[start:]


# ---------------------------------------------------------------- structs, events, interfaces


class _Record:
    """Base of Struct and Event: a constructor from the annotations (every field, positional
    or keyword), equality by fields, a dataclass-like repr."""

    _zv_fields: dict[str, Any] = {}
    _zv_factories: dict[str, Callable[[], Any]] = {}

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        cls._zv_fields = {}
        cls._zv_factories = {}

    @classmethod
    def _zv_prepare(cls) -> None:
        # Resolved lazily: a field may name a struct declared further down the file.
        if not cls._zv_factories and cls.__dict__.get('__annotations__'):
            cls._zv_fields = _annotations(cls, _record_root(cls))
            cls._zv_factories = {n: _factory(t) for n, t in cls._zv_fields.items()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # As the compiler does, every field must be given (positionally or by keyword).
        cls = type(self)
        cls._zv_prepare()
        names = list(cls._zv_fields)
        if len(args) > len(names):
            raise TypeError(f'{cls.__name__}() takes {len(names)} fields, got {len(args)}')
        for name in kwargs:
            if name not in cls._zv_fields:
                raise TypeError(f'{cls.__name__}() has no field {name!r}')
        for i, name in enumerate(names):
            if i < len(args):
                if name in kwargs:
                    raise TypeError(f'{cls.__name__}() got field {name!r} twice')
                value = args[i]
            elif name in kwargs:
                value = kwargs[name]
            else:
                raise TypeError(f'{cls.__name__}() is missing field {name!r}')
            object.__setattr__(self, name, value)

    @classmethod
    def _zv_default(cls) -> '_Record':
        """The default value of the type: every field at its own default."""
        cls._zv_prepare()
        obj = object.__new__(cls)
        for name, make in cls._zv_factories.items():
            object.__setattr__(obj, name, make())
        return obj

    def _zv_values(self) -> list[Any]:
        return [getattr(self, n) for n in type(self)._zv_fields]

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and self._zv_values() == other._zv_values()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = ', '.join(f'{n}={getattr(self, n)!r}' for n in type(self)._zv_fields)
        return f'{type(self).__name__}({inner})'


def _record_root(cls: type) -> type:
    return Event if issubclass(cls, Event) else Struct


class Struct(_Record):
    """Base of user structs: `class Voter(Struct): weight: int; voted: bool`."""


class Event(_Record):
    """Base of events: `class Transfer(Event): sender: Address; to: Address; amount: int`."""


class Interface:
    """Base of interfaces to other contracts. `IToken(addr).transfer(to, 5)` calls the
    contract at `addr` through the running Chain; `IVault(addr, value=100).deposit()` also
    sends native coin. Method bodies (`...`) are never run."""

    def __init__(self, address: Any, value: int = 0) -> None:
        self._zv_address = Address(address)
        self._zv_value = value

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        for name, fn in list(cls.__dict__.items()):
            if isinstance(fn, types.FunctionType) and not name.startswith('__'):
                setattr(cls, name, _external_method(name))

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self._zv_address!r})'


def _external_method(name: str) -> Callable[..., Any]:
    def call(self: Interface, *args: Any) -> Any:
        chain = _Context.chain
        if chain is None:
            raise Revert('interface call outside a Chain')
        return chain._external_call(self._zv_address, name, args, self._zv_value)

    call.__name__ = name
    return call


# ---------------------------------------------------------------- decorators and context


def _mark(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn._zv_kind = kind  # type: ignore[attr-defined]
        return fn

    return decorate


public = _mark('public')
view = _mark('view')
payable = _mark('payable')


class _Msg:
    __slots__ = ('sender', 'value')

    def __init__(self) -> None:
        self.sender = ZERO_ADDRESS
        self.value = 0

    def __repr__(self) -> str:
        return f'msg(sender={self.sender!r}, value={self.value})'


class _Block:
    __slots__ = ('height', 'timestamp')

    def __init__(self) -> None:
        self.height = 0
        self.timestamp = 0

    def __repr__(self) -> str:
        return f'block(height={self.height}, timestamp={self.timestamp})'


msg = _Msg()
block = _Block()


class _Context:
    """The running call: its chain and the contract whose code runs (for emit/transfer)."""

    chain: Optional['Chain'] = None
    contract: Optional['Contract'] = None
    loads = 0  # modules loaded by load_module, to name each one uniquely


def emit(event: Event) -> None:
    chain = _Context.chain
    if chain is None or _Context.contract is None:
        raise Revert('emit outside a contract call')
    if not isinstance(event, Event):
        raise TypeError('emit() takes an Event')
    fields = {n: getattr(event, n) for n in type(event)._zv_fields}
    chain._pending_events.append((_Context.contract.address, type(event).__name__, fields))


def transfer(to: Any, amount: int) -> None:
    chain = _Context.chain
    if chain is None or _Context.contract is None:
        raise Revert('transfer outside a contract call')
    chain._move(_Context.contract.address, Address(to), amount)


def balance(addr: Any) -> int:
    chain = _Context.chain
    return 0 if chain is None else chain.balances.get(Address(addr), 0)


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


# keccak-256 as Ethereum uses it (original Keccak padding 0x01, not SHA3-256's 0x06).
_KECCAK_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]
_KECCAK_ROT = [
    [0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61],
    [28, 55, 25, 21, 56], [27, 20, 39, 8, 14],
]
_M64 = (1 << 64) - 1


def _keccak_f(a: list[list[int]]) -> None:
    for rc in _KECCAK_RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ (((c[(x + 1) % 5] << 1) | (c[(x + 1) % 5] >> 63)) & _M64) for x in range(5)]
        for x in range(5):
            for y in range(5):
                a[x][y] ^= d[x]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                r = _KECCAK_ROT[x][y]
                v = a[x][y]
                b[y][(2 * x + 3 * y) % 5] = ((v << r) | (v >> (64 - r))) & _M64 if r else v
        for x in range(5):
            for y in range(5):
                a[x][y] = b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y])
        a[0][0] ^= rc


def keccak256(data: bytes) -> bytes:
    rate = 136
    if len(data) % rate == rate - 1:  # one byte of room: the 0x01 and 0x80 share it
        padded = bytearray(data) + b'\x81'
    else:
        padded = bytearray(data) + b'\x01' + b'\x00' * ((-len(data) - 2) % rate) + b'\x80'
    state = [[0] * 5 for _ in range(5)]
    for off in range(0, len(padded), rate):
        block_ = padded[off:off + rate]
        for i in range(rate // 8):
            state[i % 5][i // 5] ^= int.from_bytes(block_[8 * i:8 * i + 8], 'little')
        _keccak_f(state)
    out = b''.join(state[i % 5][i // 5].to_bytes(8, 'little') for i in range(4))
    return out


# ---------------------------------------------------------------- contracts


class Contract:
    """Base of contracts. Annotated class fields are storage; constructing the class (which
    `Chain.deploy` does) sets each field to its type's default before `__init__` runs."""

    _zv_fields: dict[str, Any] = {}
    _zv_factories: dict[str, Callable[[], Any]] = {}
    _zv_copy_fields: tuple[str, ...] = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> 'Contract':
        self = object.__new__(cls)
        cls._zv_prepare()
        object.__setattr__(self, '_zv_address', ZERO_ADDRESS)
        for name, make in cls._zv_factories.items():
            object.__setattr__(self, name, make())
        return self

    @classmethod
    def _zv_prepare(cls) -> None:
        if '_zv_ready' in cls.__dict__:
            return
        cls._zv_fields = _annotations(cls, Contract)
        cls._zv_factories = {n: _factory(t) for n, t in cls._zv_fields.items()}
        # Fields a snapshot must deep-copy: mutable values that are not Maps (Maps journal).
        cls._zv_copy_fields = tuple(
            n for n, t in cls._zv_fields.items() if _is_mutable(t) and not isinstance(t, _MapSpec)
        )
        cls._zv_ready = True

    def __setattr__(self, name: str, value: Any) -> None:
        # Storage writes are where the shim checks the int range (see the module docstring).
        object.__setattr__(self, name, _check_int(value))

    @property
    def address(self) -> Address:
        return self._zv_address  # type: ignore[attr-defined]

    @property
    def balance(self) -> int:
        chain = self.__dict__.get('_zv_chain')
        return 0 if chain is None else chain.balance_of(self._zv_address)  # type: ignore[attr-defined]

    def _zv_snapshot(self) -> tuple[dict, dict]:
        state = dict(self.__dict__)
        copies = {n: copy.deepcopy(state[n]) for n in type(self)._zv_copy_fields}
        return state, copies

    def _zv_restore(self, snap: tuple[dict, dict]) -> None:
        state, copies = snap
        self.__dict__.clear()
        self.__dict__.update(state)
        self.__dict__.update(copies)


def load_module(path: str | Path) -> types.ModuleType:
    """Import a contract source file as a fresh module (each call gives a new module)."""
    path = Path(path).resolve()
    _Context.loads += 1
    name = f'zv_contract_{path.stem}_{_Context.loads}'
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f'cannot load {path}')
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def contract_class(module: types.ModuleType) -> type:
    """The one Contract subclass a contract file defines."""
    found = [
        v for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, Contract) and v.__module__ == module.__name__
    ]
    if len(found) != 1:
        raise ValueError(f'{module.__file__}: expected exactly one contract class, found {len(found)}')
    return found[0]


# ---------------------------------------------------------------- the chain


class Receipt:
    """What one outermost call left behind."""

    def __init__(self, ok: bool, value: Any, reason: Optional[str], events: list, logs: list[str]) -> None:
        self.ok = ok
        self.value = value
        self.reason = reason
        self.events = events
        self.logs = logs

    def __repr__(self) -> str:
        return f'Receipt(ok={self.ok}, value={self.value!r}, reason={self.reason!r})'


class Chain:
    """An in-memory chain for contracts run under CPython.

    chain = Chain(balances={alice: 10**18})
    token = chain.deploy(Token, 1000, sender=alice)          # or a path to the .py file
    chain.call(token, 'transfer', bob, 10, sender=alice)      # raises Revert on failure
    chain.last.events, chain.last.logs                         # of the last outermost call
    """

    def __init__(self, balances: Optional[dict] = None, height: int = 1, timestamp: int = 1_700_000_000) -> None:
        self.balances: dict[Address, int] = {Address(a): int(v) for a, v in (balances or {}).items()}
        self.contracts: dict[Address, Contract] = {}
        self.events: list[tuple[Address, str, dict]] = []
        self.height = height
        self.timestamp = timestamp
        self.last: Optional[Receipt] = None
        self._pending_events: list[tuple[Address, str, dict]] = []
        self._depth = 0
        self._nonce = 0

    # -- accounts and blocks

    @staticmethod
    def account(n: int) -> Address:
        """A deterministic test account address: account(1), account(2), ..."""
        return Address('zv' + hashlib.sha256(f'account-{n}'.encode()).hexdigest())

    def mine(self, blocks: int = 1, seconds_per_block: int = 3) -> None:
        self.height += blocks
        self.timestamp += blocks * seconds_per_block

    def balance_of(self, addr: Any) -> int:
        return self.balances.get(Address(addr), 0)

    def _move(self, frm: Address, to: Address, amount: int) -> None:
        if amount < 0:
            raise Revert('negative transfer amount')
        have = self.balances.get(frm, 0)
        if have < amount:
            raise Revert('insufficient balance')
        if amount:
            self.balances[frm] = have - amount
            self.balances[to] = self.balances.get(to, 0) + amount

    # -- deploy and call

    def deploy(self, contract: Any, *args: Any, sender: Any, value: int = 0) -> Address:
        """Deploy a contract class (or the contract of a .py file); returns its address."""
        cls = contract_class(load_module(contract)) if isinstance(contract, (str, Path)) else contract
        self._nonce += 1
        address = Address('zv' + hashlib.sha256(f'{sender}:{self._nonce}'.encode()).hexdigest())
        obj = cls.__new__(cls)
        object.__setattr__(obj, '_zv_address', address)
        object.__setattr__(obj, '_zv_chain', self)
        init = cls.__init__ if cls.__init__ is not object.__init__ else None

        def construct(target: Contract) -> None:
            if value and getattr(init, '_zv_kind', None) != 'payable':
                raise Revert('constructor is not payable')
            if init is not None:
                init(target, *args)

        self.contracts[address] = obj
        try:
            self._outermost(address, Address(sender), value, construct)
        except Revert:
            del self.contracts[address]
            raise
        return address

    def call(self, address: Any, method: str, *args: Any, sender: Any, value: int = 0) -> Any:
        """Call a public/view/payable method as a transaction; returns its value or raises Revert."""
        return self._outermost(Address(address), Address(sender), value, self._method_runner(method, args, value))

    def try_call(self, address: Any, method: str, *args: Any, sender: Any, value: int = 0) -> Receipt:
        """Like call, but returns the Receipt instead of raising."""
        try:
            self.call(address, method, *args, sender=sender, value=value)
        except Revert:
            pass
        assert self.last is not None
        return self.last

    def _contract_at(self, address: Address) -> Contract:
        obj = self.contracts.get(address)
        if obj is None:
            raise Revert(f'no contract at {address}')
        return obj

    @staticmethod
    def _method_runner(method: str, args: tuple, value: int) -> Callable[[Contract], Any]:
        """What a call of `method` runs inside the callee: the ABI checks, then the method."""

        def run(obj: Contract) -> Any:
            fn = getattr(type(obj), method, None)
            kind = getattr(fn, '_zv_kind', None)
            if kind is None:
                raise Revert(f"no method '{method}' in contract {type(obj).__name__}")
            if value and kind != 'payable':
                raise Revert('method is not payable')
            return fn(obj, *args)  # type: ignore[misc]

        return run

    def _outermost(self, address: Address, sender: Address, value: int, run: Callable[[Contract], Any]) -> Any:
        snaps = {a: c._zv_snapshot() for a, c in self.contracts.items()}
        balances = dict(self.balances)
        _Journal.entries = []
        self._pending_events = []
        block.height, block.timestamp = self.height, self.timestamp
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                result = _check_int(self._enter(address, sender, value, run))
        except BaseException as exc:  # noqa: BLE001 - every failure rolls back first
            _undo(_Journal.entries, 0)
            for a, c in self.contracts.items():
                if a in snaps:
                    c._zv_restore(snaps[a])
            self.balances = balances
            _Journal.entries = None
            reason = _reason_of(exc)
            self.last = Receipt(False, None, reason, [], out.getvalue().splitlines())
            if reason is None:
                raise
            if isinstance(exc, Revert):
                raise
            raise Revert(reason) from exc
        _Journal.entries = None
        self.events.extend(self._pending_events)
        self.last = Receipt(True, result, None, self._pending_events, out.getvalue().splitlines())
        return result

    def _enter(self, address: Address, sender: Address, value: int, run: Callable[[Contract], Any]) -> Any:
        """Run `run(contract)` as a call into the contract at `address` from `sender`, moving
        `value` first (every effect is undone by the outermost call if anything fails)."""
        if self._depth >= MAX_CONTRACT_DEPTH:
            raise Revert('contract call depth exceeded')
        obj = self._contract_at(address)
        self._move(sender, address, value)
        saved = (msg.sender, msg.value, _Context.chain, _Context.contract)
        msg.sender, msg.value = sender, value
        _Context.chain, _Context.contract = self, obj
        self._depth += 1
        try:
            return run(obj)
        finally:
            self._depth -= 1
            msg.sender, msg.value, _Context.chain, _Context.contract = saved

    def _external_call(self, address: Address, method: str, args: tuple, value: int) -> Any:
        """A call made by the running contract through an Interface."""
        caller = _Context.contract
        assert caller is not None
        return _check_int(self._enter(address, caller.address, value, self._method_runner(method, args, value)))

    # -- reading state directly (for tests and tools)

    def contract(self, address: Any) -> Contract:
        return self._contract_at(Address(address))
