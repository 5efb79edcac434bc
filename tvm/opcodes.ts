// The TVM instruction set. This table is the single source of truth for the assembler
// (tvm/format.ts, encode), the loader/validator (decode), the interpreter and the docs.
//
// A register machine: each function frame has `nregs` registers; parameters arrive in
// registers 0..nparams-1. Values are statically typed by the compiler; the VM trusts the
// types only as far as memory safety goes (a wrongly typed operand reverts, never crashes).
//
// Operand kinds:
//   R  register index (< nregs of the function)
//   K  constant-pool index
//   I  signed immediate (zigzag varint in the file)
//   L  jump target: an instruction index inside the same function
//   F  function index
//   T  type-table index (a type descriptor, see tvm/types.ts)
//   S  storage-slot index (module.slots)
//   E  event index (module.events)
//   X  external-method index (module.externals)
//   B  builtin index (BUILTINS below)
//   N  a count n followed by n registers (variadic)

export type OperandKind = 'R' | 'K' | 'I' | 'L' | 'F' | 'T' | 'S' | 'E' | 'X' | 'B' | 'N';

export interface OpInfo {
  name: string;
  operands: OperandKind[];
  /** Base gas charged for the instruction (summed per basic block by the loader). */
  gas: number;
  doc: string;
}

// prettier-ignore
export const OPS = [
  { name: 'NOP',      operands: [],                gas: 0, doc: 'do nothing' },
  { name: 'MOV',      operands: ['R', 'R'],        gas: 1, doc: 'd = s' },
  { name: 'LOADK',    operands: ['R', 'K'],        gas: 1, doc: 'd = constants[k]' },
  { name: 'LOADI',    operands: ['R', 'I'],        gas: 1, doc: 'd = small int immediate' },
  { name: 'LOADNONE', operands: ['R'],             gas: 1, doc: 'd = None' },
  { name: 'LOADBOOL', operands: ['R', 'I'],        gas: 1, doc: 'd = (imm != 0)' },
  { name: 'LOADDEF',  operands: ['R', 'T'],        gas: 2, doc: 'd = default value of type t (fresh)' },

  // checked 256-bit integer arithmetic; results outside [-2^255, 2^255-1] revert "integer overflow"
  { name: 'ADD',      operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a + b (int)' },
  { name: 'SUB',      operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a - b (int)' },
  { name: 'MUL',      operands: ['R', 'R', 'R'],   gas: 2, doc: 'd = a * b (int)' },
  { name: 'FLOORDIV', operands: ['R', 'R', 'R'],   gas: 3, doc: 'd = a // b (int, floor; b == 0 reverts "division by zero")' },
  { name: 'MOD',      operands: ['R', 'R', 'R'],   gas: 3, doc: 'd = a % b (int, sign of b; b == 0 reverts)' },
  { name: 'POW',      operands: ['R', 'R', 'R'],   gas: 5, doc: 'd = a ** b (int, b >= 0 else revert)' },
  { name: 'SHL',      operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a << b (b >= 0 else revert)' },
  { name: 'SHR',      operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a >> b (arithmetic, b >= 0 else revert)' },
  { name: 'BAND',     operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a & b (int; bool & bool gives bool)' },
  { name: 'BOR',      operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a | b (int; bool | bool gives bool)' },
  { name: 'BXOR',     operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a ^ b (int; bool ^ bool gives bool)' },
  { name: 'NEG',      operands: ['R', 'R'],        gas: 1, doc: 'd = -a (int)' },
  { name: 'INVERT',   operands: ['R', 'R'],        gas: 1, doc: 'd = ~a (int)' },

  // comparisons: ints, bools, str (code point order), bytes, Address, lists/tuples (lexicographic), None
  { name: 'EQ',       operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a == b (deep equality)' },
  { name: 'NE',       operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a != b' },
  { name: 'LT',       operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a < b' },
  { name: 'LE',       operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a <= b' },
  { name: 'GT',       operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a > b' },
  { name: 'GE',       operands: ['R', 'R', 'R'],   gas: 1, doc: 'd = a >= b' },
  { name: 'NOT',      operands: ['R', 'R'],        gas: 1, doc: 'd = not truthy(a)' },
  { name: 'TRUTHY',   operands: ['R', 'R'],        gas: 1, doc: 'd = bool(a), Python truthiness' },
  { name: 'ISNONE',   operands: ['R', 'R'],        gas: 1, doc: 'd = a is None' },

  // sequences and containers (dynamic gas per element/byte created, see docs/gas.md)
  { name: 'CONCAT',   operands: ['R', 'R', 'R'],   gas: 2, doc: 'd = a + b (str, bytes, list, tuple); fresh value' },
  { name: 'REPEAT',   operands: ['R', 'R', 'R'],   gas: 2, doc: 'd = a * n (str, bytes, list; n int)' },
  { name: 'LEN',      operands: ['R', 'R'],        gas: 1, doc: 'd = len(a) (str in code points, bytes, list, tuple, dict)' },
  { name: 'GETITEM',  operands: ['R', 'R', 'R'],   gas: 2, doc: 'd = a[i] (list/str/bytes/tuple: int index, negative from the end, out of range reverts "index out of range"; dict: missing key reverts "key not found")' },
  { name: 'SETITEM',  operands: ['R', 'R', 'R'],   gas: 2, doc: 'a[i] = v (list index or dict key)' },
  { name: 'DELITEM',  operands: ['R', 'R'],        gas: 2, doc: 'del a[i] (list index or dict key; missing reverts)' },
  { name: 'SLICE',    operands: ['R', 'R', 'R', 'R', 'R'], gas: 2, doc: 'd = a[lo:hi:step] (None for omitted; step 0 reverts)' },
  { name: 'CONTAINS', operands: ['R', 'R', 'R'],   gas: 2, doc: 'd = item in container (substring for str/bytes, element for list/tuple, key for dict)' },
  { name: 'NEWLIST',  operands: ['R', 'N'],        gas: 2, doc: 'd = [r1, ..., rn]' },
  { name: 'NEWTUPLE', operands: ['R', 'N'],        gas: 2, doc: 'd = (r1, ..., rn) (also struct values, fields in declaration order)' },
  { name: 'NEWDICT',  operands: ['R', 'N'],        gas: 2, doc: 'd = {k1: v1, ...}; the registers come in key, value pairs' },
  { name: 'GETFIELD', operands: ['R', 'R', 'I'],   gas: 1, doc: 'd = s[idx] for a tuple or struct, constant index' },
  { name: 'SETFIELD', operands: ['R', 'I', 'R'],   gas: 1, doc: 's[idx] = v for a struct' },
  { name: 'APPEND',   operands: ['R', 'R'],        gas: 2, doc: 'list.append(v)' },
  { name: 'COPY',     operands: ['R', 'R', 'T'],   gas: 2, doc: 'd = deep copy of a (value semantics for structs of storage)' },
  { name: 'STR',      operands: ['R', 'R', 'T'],   gas: 2, doc: 'd = str(a) for a value of type t (Python formatting)' },
  { name: 'REPR',     operands: ['R', 'R', 'T'],   gas: 2, doc: 'd = repr(a) for a value of type t' },
  { name: 'FORMAT',   operands: ['R', 'R', 'T', 'K'], gas: 2, doc: 'd = format(a, spec) where spec is a str constant (f-string format spec)' },
  { name: 'CALLB',    operands: ['R', 'B', 'N'],   gas: 2, doc: 'd = builtin(args...) (see BUILTINS)' },

  // control flow
  { name: 'JMP',      operands: ['L'],             gas: 1, doc: 'jump' },
  { name: 'JT',       operands: ['R', 'L'],        gas: 1, doc: 'jump if a is True (bool operand)' },
  { name: 'JF',       operands: ['R', 'L'],        gas: 1, doc: 'jump if a is False (bool operand)' },
  { name: 'CALL',     operands: ['R', 'F', 'N'],   gas: 5, doc: 'd = functions[f](args...); depth above 256 frames reverts "call depth exceeded"' },
  { name: 'RET',      operands: ['R'],             gas: 1, doc: 'return a' },
  { name: 'RETNONE',  operands: [],                gas: 1, doc: 'return None' },
  { name: 'REVERT',   operands: ['R'],             gas: 1, doc: 'revert with the str in a as the reason' },

  // contract environment (host calls)
  { name: 'SLOAD',    operands: ['R', 'S', 'N'],   gas: 50, doc: 'd = storage[slot][keys...] (default value when absent)' },
  { name: 'SSTORE',   operands: ['S', 'R', 'N'],   gas: 100, doc: 'storage[slot][keys...] = v (the default value deletes the entry); reverts in a view' },
  { name: 'SHAS',     operands: ['R', 'S', 'N'],   gas: 50, doc: 'd = entry storage[slot][keys...] exists' },
  { name: 'SDEL',     operands: ['S', 'N'],        gas: 50, doc: 'delete storage[slot][keys...]; reverts in a view' },
  { name: 'ENV',      operands: ['R', 'I'],        gas: 2, doc: 'd = context value: 0 msg.sender, 1 msg.value, 2 block.height, 3 block.timestamp, 4 self.address, 5 self.balance, 6 tx.origin, 7 gas left' },
  { name: 'BALANCE',  operands: ['R', 'R'],        gas: 20, doc: 'd = native balance of address a' },
  { name: 'TRANSFER', operands: ['R', 'R'],        gas: 100, doc: 'send amount b of native coin from this contract to address a; reverts when short or in a view' },
  { name: 'EMIT',     operands: ['E', 'N'],        gas: 20, doc: 'record event e with fields (regs in declaration order); reverts in a view' },
  { name: 'LOG',      operands: ['R'],             gas: 5, doc: 'append the str in a to the debug log' },
  { name: 'XCALL',    operands: ['R', 'X', 'R', 'R', 'N'], gas: 100, doc: 'd = call externals[x] on contract at address a with value b and args; failure reverts the caller' },
] as const satisfies readonly OpInfo[];

export type OpName = (typeof OPS)[number]['name'];

/** Opcode numbers: the index in OPS. */
export const Op = Object.fromEntries(OPS.map((o, i) => [o.name, i])) as { [K in OpName]: number };

export const ENV = {
  sender: 0,
  value: 1,
  height: 2,
  timestamp: 3,
  self: 4,
  selfBalance: 5,
  origin: 6,
  gasLeft: 7,
} as const;

/**
 * Builtin functions and methods, called with CALLB. The compiler picks the entry by the static
 * types; the VM implements each in tvm/builtins.ts. Arity is fixed per entry (the compiler
 * fills optional arguments with None where the entry takes them).
 * `gas` is the base cost; entries that create or scan data add per-element/byte gas.
 */
// prettier-ignore
export const BUILTINS = [
  // ints
  { name: 'abs', arity: 1, gas: 1 },
  { name: 'min2', arity: 2, gas: 1 },            // min(a, b) for int/str
  { name: 'max2', arity: 2, gas: 1 },
  { name: 'divmod', arity: 2, gas: 4 },          // -> tuple[int, int]
  { name: 'powmod', arity: 3, gas: 10 },         // pow(a, b, m)
  { name: 'int_of_str', arity: 1, gas: 2 },      // int(s): Python's int() on str (underscores, whitespace, sign); bad text reverts
  { name: 'int_of_str_base', arity: 2, gas: 2 }, // int(s, base)
  { name: 'int_of_bool', arity: 1, gas: 1 },
  { name: 'chr', arity: 1, gas: 1 },
  { name: 'ord', arity: 1, gas: 1 },
  { name: 'hex', arity: 1, gas: 2 },
  { name: 'bin', arity: 1, gas: 2 },
  { name: 'oct', arity: 1, gas: 2 },
  // lists and iterables
  { name: 'min_list', arity: 1, gas: 1 },        // min(xs); empty reverts
  { name: 'max_list', arity: 1, gas: 1 },
  { name: 'sum_list', arity: 1, gas: 1 },        // sum(xs) of ints
  { name: 'any_list', arity: 1, gas: 1 },        // truthiness of each element
  { name: 'all_list', arity: 1, gas: 1 },
  { name: 'sorted', arity: 2, gas: 2 },          // sorted(xs, reverse: bool) -> new list; ints, strs, bytes, tuples
  { name: 'reversed', arity: 1, gas: 2 },        // -> new list
  { name: 'range_list', arity: 3, gas: 2 },      // list(range(a, b, step)); step 0 reverts
  { name: 'enumerate', arity: 1, gas: 2 },       // list[T] -> list[tuple[int, T]]
  { name: 'zip', arity: 2, gas: 2 },             // -> list of pairs, shortest length
  { name: 'list_copy', arity: 1, gas: 2 },       // list(xs) / xs.copy() / list(tuple) / list(str) -> list of 1-char strs
  { name: 'list_of_str', arity: 1, gas: 2 },     // list("abc")
  { name: 'list_of_dict', arity: 1, gas: 2 },    // list(d) -> keys
  { name: 'list.pop', arity: 1, gas: 2 },        // xs.pop(); empty reverts
  { name: 'list.pop_at', arity: 2, gas: 2 },     // xs.pop(i)
  { name: 'list.insert', arity: 3, gas: 2 },     // returns None
  { name: 'list.extend', arity: 2, gas: 2 },     // returns None
  { name: 'list.index', arity: 2, gas: 2 },      // missing reverts
  { name: 'list.count', arity: 2, gas: 2 },
  { name: 'list.remove', arity: 2, gas: 2 },     // missing reverts
  { name: 'list.reverse', arity: 1, gas: 2 },
  { name: 'list.sort', arity: 2, gas: 2 },       // xs.sort(reverse: bool)
  { name: 'list.clear', arity: 1, gas: 1 },
  // dicts
  { name: 'dict.get', arity: 3, gas: 2 },        // d.get(k, default) (the compiler passes the default or None)
  { name: 'dict.keys', arity: 1, gas: 2 },       // -> list
  { name: 'dict.values', arity: 1, gas: 2 },     // -> list
  { name: 'dict.items', arity: 1, gas: 2 },      // -> list of pairs
  { name: 'dict.pop', arity: 2, gas: 2 },        // missing reverts
  { name: 'dict.pop_default', arity: 3, gas: 2 },
  { name: 'dict.setdefault', arity: 3, gas: 2 },
  { name: 'dict.copy', arity: 1, gas: 2 },
  { name: 'dict.clear', arity: 1, gas: 1 },
  { name: 'dict.update', arity: 2, gas: 2 },
  // strings
  { name: 'str.upper', arity: 1, gas: 2 },
  { name: 'str.lower', arity: 1, gas: 2 },
  { name: 'str.strip', arity: 2, gas: 2 },       // s.strip(chars or None)
  { name: 'str.lstrip', arity: 2, gas: 2 },
  { name: 'str.rstrip', arity: 2, gas: 2 },
  { name: 'str.split', arity: 3, gas: 2 },       // s.split(sep or None, maxsplit int, -1 for all)
  { name: 'str.join', arity: 2, gas: 2 },        // sep.join(list[str])
  { name: 'str.startswith', arity: 2, gas: 2 },
  { name: 'str.endswith', arity: 2, gas: 2 },
  { name: 'str.find', arity: 2, gas: 2 },
  { name: 'str.rfind', arity: 2, gas: 2 },
  { name: 'str.index', arity: 2, gas: 2 },       // missing reverts
  { name: 'str.replace', arity: 3, gas: 2 },
  { name: 'str.count', arity: 2, gas: 2 },
  { name: 'str.isdigit', arity: 1, gas: 2 },
  { name: 'str.isalpha', arity: 1, gas: 2 },
  { name: 'str.isalnum', arity: 1, gas: 2 },
  { name: 'str.isspace', arity: 1, gas: 2 },
  { name: 'str.islower', arity: 1, gas: 2 },
  { name: 'str.isupper', arity: 1, gas: 2 },
  { name: 'str.zfill', arity: 2, gas: 2 },
  { name: 'str.capitalize', arity: 1, gas: 2 },
  { name: 'str.encode', arity: 1, gas: 2 },      // utf-8 -> bytes
  // bytes and addresses
  { name: 'bytes.hex', arity: 1, gas: 2 },
  { name: 'bytes.decode', arity: 1, gas: 2 },    // utf-8; invalid reverts
  { name: 'bytes.fromhex', arity: 1, gas: 2 },   // invalid reverts
  { name: 'bytes_of_list', arity: 1, gas: 2 },   // bytes([1, 2]); element out of 0..255 reverts
  { name: 'address_of_str', arity: 1, gas: 2 },  // Address("zv..."); invalid reverts
  { name: 'address_of_bytes', arity: 1, gas: 2 },// 32 bytes -> Address
  { name: 'address.bytes', arity: 1, gas: 2 },   // Address -> 32 bytes
  { name: 'sha256', arity: 1, gas: 30 },
  { name: 'keccak256', arity: 1, gas: 30 },
] as const;

export type BuiltinName = (typeof BUILTINS)[number]['name'];
export const BuiltinId = Object.fromEntries(BUILTINS.map((b, i) => [b.name, i])) as { [K in BuiltinName]: number };
