"""bloc: UK first-past-the-post election analysis, from Python.

Every question of the `bloc` command line is a function here, answered by the same library
(libbloc, loaded with ctypes) from the same data, with the same settings:

    >>> import bloc
    >>> bloc.results("ge2024")                       # bloc results ge2024
    >>> bloc.swing("ge2019", "ge2024", pair="CON,LAB")
    >>> bloc.project("ge2024", shares={"LAB": 34, "CON": 24},
    ...              group={"muslim": {"LAB": -20}}, by="seat")
    >>> bloc.power("ge2024", group="muslim", decisive=True)

Positional arguments are the command's (CONTEST, FROM TO, BASE, ...); keyword arguments are its
options, named as the CLI's with '-' written '_' (adult_ratio for --adult-ratio; from_ for a
setting named like a Python keyword). A value may be text as typed on the command line
("LAB=34,CON=24"), a number, True for a flag (False or None: not given), a dict
({"LAB": 34} is LAB=34; {"muslim": {"LAB": -20}} is muslim:LAB=-20, one setting per outer key;
{("LAB", "REF"): 5} is LAB:REF=5) or a list (the setting given once per element, in order).
`project(..., scenario={...})` takes the scenario file's JSON as a dict.

A table answer is a pandas DataFrame with the columns of the CSV output (`--format csv`), the
metadata in df.attrs["meta"] and each real column's printed decimals in df.attrs["decimals"];
without pandas (or with as_frame=False) it is a list of dicts, a `Rows` with .meta, .columns and
.decimals. A document answer (map, chart, report, export, project by="full") is its text, a
`Document` (a str) with .media_type. Failures raise BlocError(message, code) with bloc's message.

Every call takes store=: a Store (one data directory, its files loaded once and kept). Without
it the module's default store is used, opened on first use from $BLOC_DATA or the data installed
with bloc.
"""

import ctypes
import json
import math
import numbers
import os
import threading
import warnings as _warnings
from collections.abc import Mapping

from . import _native

__all__ = [
    "BlocError",
    "BlocWarning",
    "Document",
    "Rows",
    "Store",
    "default_store",
    "library_path",
    "query",
    "questions",
    "version",
]

# bloc_err (include/bloc/error.h)
ERROR_NAMES = {
    -1: "BLOC_ENOMEM",
    -2: "BLOC_EINVAL",
    -3: "BLOC_EIO",
    -4: "BLOC_EPARSE",
    -5: "BLOC_ENUMERIC",
    -6: "BLOC_EPAR",
    -7: "BLOC_ENOTFOUND",
    -8: "BLOC_EUSAGE",
}


class BlocError(Exception):
    """A failure reported by libbloc: `message` is bloc_error_last() (what bloc's CLI prints
    after "bloc: "), `code` the bloc_err (negative; `name` is its name, "BLOC_EUSAGE")."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code
        self.name = ERROR_NAMES.get(code, str(code))

    def __str__(self):
        return self.message

    def __repr__(self):
        return f"BlocError({self.message!r}, {self.code})"


class BlocWarning(UserWarning):
    """A warning of an answer (what the CLI prints to standard error), e.g. seats without a
    hex on a map."""


class Document(str):
    """A document answer: its text, with .media_type ("image/svg+xml", "text/html;
    charset=utf-8", ...), .warnings, and .aux (a second document, such as ei-synth's truth,
    or None) whose .suffix names it as the CLI would beside -o FILE (".truth.csv")."""

    media_type = None
    suffix = None
    warnings = ()
    aux = None


class Rows(list):
    """A table answer without pandas: a list of dicts (column -> value, None when missing),
    with .columns (in the CSV's order), .meta, .decimals (real column -> decimals printed),
    .warnings and .aux (see Document)."""

    columns = ()
    meta = None
    decimals = None
    warnings = ()
    aux = None


def version():
    """The library's version ("0.1.0")."""
    return _native.load().bloc_version().decode()


def library_path():
    """The file libbloc was loaded from."""
    return _native.path()


def questions():
    """The questions the library answers, by name (bloc_query_name)."""
    lib = _native.load()
    return [lib.bloc_query_name(i).decode() for i in range(lib.bloc_query_count())]


def _text(b):
    return b.decode("utf-8", "replace") if b is not None else None


def _raise(lib, err):
    msg = _text(lib.bloc_error_last()) or f"bloc failed ({ERROR_NAMES.get(err, err)})"
    raise BlocError(msg, err)


class Store:
    """One data directory and everything loaded from it (contests, census tables, hex layouts,
    prepared projectors), kept until close(). `data`: the directory; None means $BLOC_DATA, else
    the data installed with bloc, else ./data (bloc_store_default_dir). Contests and other files
    may also be named by path, as on the command line. Safe to share between threads."""

    def __init__(self, data=None):
        lib = _native.load()
        given = os.fsencode(data) if data is not None else None
        chosen = lib.bloc_store_default_dir(given)
        ptr = ctypes.c_void_p()
        err = lib.bloc_store_open(ctypes.byref(ptr), chosen, None)
        if err < 0:
            _raise(lib, err)
        self._lib = lib
        self._ptr = ptr
        self.data = os.fsdecode(chosen)

    def close(self):
        """Free the store and what it loaded (idempotent)."""
        ptr, self._ptr = getattr(self, "_ptr", None), None
        if ptr:
            self._lib.bloc_store_free(ptr)

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"bloc.Store({self.data!r})"

    def query(self, name, *args, **settings):
        """query(name, ...) against this store."""
        return query(name, *args, store=self, **settings)

    def _handle(self):
        if not self._ptr:
            raise ValueError("bloc.Store: used after close()")
        return self._ptr


_default = None
_default_lock = threading.Lock()


def default_store():
    """The module's store, opened on first use (Store())."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Store()
    return _default


# ---- settings -------------------------------------------------------------------------------


def _value_text(v):
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        f = float(v)
        return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)
    if isinstance(v, str):
        return v
    if isinstance(v, os.PathLike):
        return os.fsdecode(v)
    raise TypeError(f"bloc: cannot give {type(v).__name__} {v!r} as a setting's value")


def _label(k):
    return ":".join(_value_text(x) for x in k) if isinstance(k, tuple) else _value_text(k)


def _pairs(d):
    return ",".join(f"{_label(k)}={_value_text(v)}" for k, v in d.items())


def _settings(key, value):
    """The (key, text) settings one keyword argument stands for; text None is a flag."""
    if value is None or value is False:
        return []
    if value is True:
        return [(key, None)]
    if type(value) is str:
        return [(key, value)]
    if isinstance(value, Mapping):
        inner = list(value.values())
        if inner and all(isinstance(v, Mapping) for v in inner):
            return [(key, f"{_label(name)}:{_pairs(v)}") for name, v in value.items()]
        return [(key, _pairs(value))]
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            out += _settings(key, v)
        return out
    return [(key, _value_text(value))]


def _key(name):
    return name.rstrip("_").replace("_", "-")


def _set(lib, rq, key, text):
    k = key.encode()
    if text is None:
        # True: a flag takes no value; any other setting gets "true" (and says what it expects)
        err = lib.bloc_request_set(rq, k, None if lib.bloc_request_is_flag(rq, k) == 1 else b"true")
    else:
        err = lib.bloc_request_set(rq, k, text.encode())
    if err < 0:
        _raise(lib, err)


# ---- answers --------------------------------------------------------------------------------

_pandas = None


def _import_pandas():
    global _pandas
    if _pandas is None:
        try:
            import pandas

            _pandas = pandas
        except ImportError:
            _pandas = False
    return _pandas


def _meta(lib, t):
    meta = {}
    for i in range(lib.bloc_table_nmeta(t)):
        k, v = _text(lib.bloc_table_meta_key(t, i)), _text(lib.bloc_table_meta_value(t, i))
        if k not in meta:
            meta[k] = v
        elif isinstance(meta[k], list):
            meta[k].append(v)
        else:
            meta[k] = [meta[k], v]
    return meta


def _column_reals(lib, t, c, nrows):
    """A real or integer column's values as doubles (NaN when missing): in one call when the
    library has bloc_table_column_reals, else a call per cell."""
    if hasattr(lib, "bloc_table_column_reals"):
        out = (ctypes.c_double * nrows)()
        lib.bloc_table_column_reals(t, c, out)
        return list(out)
    real = lib.bloc_table_real
    return [real(t, r, c) for r in range(nrows)]


def _column_strings(lib, t, c, nrows):
    if hasattr(lib, "bloc_table_column_strings"):
        out = (ctypes.c_char_p * nrows)()
        lib.bloc_table_column_strings(t, c, out)
        vals = list(out)
    else:
        s = lib.bloc_table_string
        vals = [s(t, r, c) for r in range(nrows)]
    return [None if v is None else v.decode("utf-8", "replace") for v in vals]


def _columns(lib, t):
    """[(name, type, cells)] and {real column: decimals}. cells: for a real or integer column its
    values as doubles, NaN when missing (a ctypes array, or a list from an older library); for a
    string column a list of str, None when missing."""
    nrows = lib.bloc_table_nrows(t)
    cols, decimals = [], {}
    has_decimals = hasattr(lib, "bloc_table_column_decimals")
    for c in range(lib.bloc_table_ncols(t)):
        name, typ = _text(lib.bloc_table_column_name(t, c)), lib.bloc_table_column_type(t, c)
        if typ == _native.COL_STRING:
            cells = _column_strings(lib, t, c, nrows)
        else:
            cells = _column_reals(lib, t, c, nrows)
            if typ == _native.COL_REAL:
                decimals[name] = lib.bloc_table_column_decimals(t, c) if has_decimals else None
            elif any(abs(v) >= 2**53 for v in cells):
                # integer cells come as doubles, exact below 2^53: larger ones as integers
                whole = lib.bloc_table_int
                cells = [v if math.isnan(v) else whole(t, r, c) for r, v in enumerate(cells)]
        cols.append((name, typ, cells))
    return cols, decimals


def _values(typ, cells):
    """A column's cells as Python values, None when missing."""
    if typ == _native.COL_REAL:
        return [None if math.isnan(v) else v for v in cells]
    if typ == _native.COL_INT:
        return [None if math.isnan(v) else int(v) for v in cells]
    return cells


def _frame(pd, cols):
    import numpy as np

    # numpy arrays, strings as an object array: pandas takes them as they are (a Series per
    # column would cost several times more for the small tables most answers are)
    data = {}
    for name, typ, cells in cols:
        if typ == _native.COL_STRING:
            data[name] = np.array(cells, dtype=object)
            continue
        if typ == _native.COL_REAL:
            if isinstance(cells, ctypes.Array):  # numpy keeps the array alive
                data[name] = np.frombuffer(cells, dtype=np.float64)
            else:
                data[name] = np.array(cells, dtype=np.float64)
            continue
        # small tables are the common case: Python checks beat numpy's per-call cost here
        ints = _values(typ, cells)
        if None in ints:
            data[name] = pd.array(ints, dtype="Int64")
        else:
            data[name] = np.array(ints, dtype=np.int64)
    return pd.DataFrame(data, copy=False)  # a dict keeps the columns in order


def _document(raw, length, media_type):
    doc = Document(ctypes.string_at(raw, length).decode("utf-8", "replace"))
    doc.media_type = _text(media_type)
    return doc


def _answer(lib, ans, as_frame):
    warned = tuple(w for w in (_text(ans.warnings) or "").split("\n") if w)
    aux = None
    if ans.aux:
        aux = _document(ans.aux, ans.aux_len, b"text/csv; charset=utf-8")
        aux.suffix = _text(ans.aux_suffix)
    if not ans.table:
        doc = _document(ans.doc, ans.doc_len, ans.doc_type)
        doc.warnings, doc.aux = warned, aux
        return doc, warned
    t = ans.table
    cols, decimals = _columns(lib, t)
    meta = _meta(lib, t)
    pd = _import_pandas() if as_frame is not False else False
    if as_frame and not pd:
        raise ImportError("bloc: as_frame=True needs pandas")
    if pd:
        df = _frame(pd, cols)
        df.attrs["meta"] = meta
        df.attrs["decimals"] = decimals
        df.attrs["warnings"] = list(warned)
        if aux is not None:
            df.attrs["aux"] = aux
        return df, warned
    rows = Rows(
        dict(zip([c[0] for c in cols], cells))
        for cells in zip(*[_values(typ, cells) for _, typ, cells in cols])
    )
    rows.columns, rows.meta, rows.decimals = tuple(c[0] for c in cols), meta, decimals
    rows.warnings, rows.aux = warned, aux
    return rows, warned


def query(name, *args, store=None, as_frame=None, **settings):
    """Ask question `name` ("results", "ei-synth", ...; see questions()). `args` go to the
    question's positional settings as on the command line, `settings` are its options (see the
    module's help). `store`: a Store (default: default_store()). `as_frame`: None gives a pandas
    DataFrame when pandas can be imported, else Rows; False always Rows; True requires pandas.
    Raises BlocError (bloc's message and code), TypeError (too many positional arguments, a
    value of no usable type)."""
    lib = _native.load()
    positional = POSITIONAL.get(name, ())
    if len(args) > len(positional):
        raise TypeError(
            f"bloc.{name.replace('-', '_')}() takes at most {len(positional)} positional "
            f"argument{'s' if len(positional) != 1 else ''} ({', '.join(positional) or 'none'}), "
            f"{len(args)} given"
        )
    st = (store if store is not None else default_store())._handle()
    rq = ctypes.c_void_p()
    err = lib.bloc_request_new(ctypes.byref(rq), name.encode())
    if err < 0:
        _raise(lib, err)
    try:
        given = list(zip(positional, args)) + [(_key(k), v) for k, v in settings.items()]
        for key, value in given:
            if key == "scenario" and isinstance(value, Mapping):
                if lib.bloc_request_is_flag(rq, b"scenario-json") < 0:
                    raise TypeError(
                        f"bloc.{name}(): a scenario as a dict is for project; "
                        "give the scenario file's path, or its settings as keywords"
                    )
                key, value = "scenario-json", json.dumps(value)
            for k, text in _settings(key, value):
                _set(lib, rq, k, text)
        ans = _native.Answer()
        err = lib.bloc_query_run(ctypes.byref(ans), st, rq)
        if err < 0:
            _raise(lib, err)
        try:
            out, warned = _answer(lib, ans, as_frame)
        finally:
            lib.bloc_answer_dispose(ctypes.byref(ans))
    finally:
        lib.bloc_request_free(rq)
    for w in warned:
        _warnings.warn(w, BlocWarning, stacklevel=3)
    return out


# The positional arguments of each question, as the CLI takes them (src/cli/cmd_*.c).
POSITIONAL = {
    "elections": (),
    "results": ("contest",),
    "seat": ("contest", "seat"),
    "swing": ("from", "to"),
    "targets": ("contest", "party"),
    "indices": ("contest",),
    "export": ("contest",),
    "project": ("base", "scenario"),
    "backtest": ("from", "to"),
    "power": ("contest",),
    "ei": ("contest",),
    "ei-synth": (),
    "forecast": ("base",),
    "simulate": ("seat", "base"),
    "map": ("contest", "scenario"),
    "chart": ("contest", "scenario"),
    "report": ("contest", "scenario"),
}

_SUMMARIES = {
    "elections": "The catalogue of the data directory (bloc elections).",
    "results": "Seats, votes and shares per party; by='nation'|'region'|'seat' (bloc results).",
    "seat": "One seat's candidates, majority and turnout (bloc seat).",
    "swing": "Butler and Steed swing between two contests, seat by seat; pair='CON,LAB' "
    "(bloc swing).",
    "targets": "A party's target list, by the swing it needs; limit=N (bloc targets).",
    "indices": "Disproportionality, effective number of parties; wasted=True (bloc indices).",
    "export": "The contest as canonical CSV, a Document (bloc export).",
    "project": "Seats under a scenario: shares=, swing=, region=, group=, model=, by= "
    "(bloc project).",
    "backtest": "A model projected from one contest to the next, against the result "
    "(bloc backtest).",
    "power": "Where a census group's cohesive vote can decide a seat: group=, cohesion=, "
    "sims=, decisive=True, summary=True, curve=True (bloc power).",
    "ei": "Ecological inference of how each group voted: groups=, parties=, method= (bloc ei).",
    "ei-synth": "Synthetic EI units with known truth (.attrs['aux'] / .aux) (bloc ei-synth).",
    "forecast": "Seat probabilities and seat distributions from polls: polls=, date=, sims=, "
    "seed=, by='party'|'seat', actual=, given= (bloc forecast).",
    "simulate": "An agent-based by-election in one seat: strategy=, budget=, replicates=, "
    "seed=, actual=, fit=, sweep=, by='candidate'|'moved'|'spec'|'chart'; all=True with "
    "base= for every seat (bloc simulate).",
    "map": "A hex map as SVG, a Document (bloc map).",
    "chart": "A chart as SVG, a Document (bloc chart).",
    "report": "A self-contained HTML report, a Document (bloc report).",
}


def _question(name):
    positional = POSITIONAL[name]

    def ask(*args, store=None, as_frame=None, **settings):
        return query(name, *args, store=store, as_frame=as_frame, **settings)

    ask.__name__ = ask.__qualname__ = name.replace("-", "_")
    ask.__doc__ = (
        f"{name}({', '.join(positional)}{', ' if positional else ''}**settings): "
        f"{_SUMMARIES[name]}\nSettings are the CLI's options ('bloc help {name}'); see "
        "help(bloc) for how values are given."
    )
    return ask


for _name in POSITIONAL:
    globals()[_name.replace("-", "_")] = _question(_name)
    __all__.append(_name.replace("-", "_"))
del _name
