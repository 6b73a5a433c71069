"""libbloc through ctypes: finding the shared library and declaring the functions the module calls.

The library is looked for, in order: the BLOC_LIB environment variable (the file, or a directory
holding libbloc.so); the libdir pkg-config gives for bloc; ctypes.util.find_library("bloc"); the
build tree of the repository this package sits in (build*/). Only the public API of
include/bloc/ is used.
"""

import ctypes
import ctypes.util
import glob
import os
import subprocess
import threading

from ctypes import POINTER, c_char_p, c_double, c_int, c_int64, c_size_t, c_void_p

# bloc_col_type (include/bloc/render.h)
COL_STRING, COL_INT, COL_REAL = 0, 1, 2


class Answer(ctypes.Structure):
    """bloc_answer (include/bloc/query.h), field for field."""

    _fields_ = [
        ("table", c_void_p),
        ("doc", c_void_p),
        ("doc_len", c_size_t),
        ("doc_type", c_char_p),
        ("aux", c_void_p),
        ("aux_len", c_size_t),
        ("aux_suffix", c_char_p),
        ("warnings", c_char_p),
    ]


# name: (restype, argtypes)
_PROTOTYPES = {
    "bloc_version": (c_char_p, []),
    "bloc_error_last": (c_char_p, []),
    "bloc_error_last_code": (c_int, []),
    "bloc_store_default_dir": (c_char_p, [c_char_p]),
    "bloc_store_open": (c_int, [POINTER(c_void_p), c_char_p, c_void_p]),
    "bloc_store_free": (None, [c_void_p]),
    "bloc_store_dir": (c_char_p, [c_void_p]),
    "bloc_query_count": (c_size_t, []),
    "bloc_query_name": (c_char_p, [c_size_t]),
    "bloc_query_heavy": (c_int, [c_char_p]),
    "bloc_request_new": (c_int, [POINTER(c_void_p), c_char_p]),
    "bloc_request_free": (None, [c_void_p]),
    "bloc_request_set": (c_int, [c_void_p, c_char_p, c_char_p]),
    "bloc_request_is_flag": (c_int, [c_void_p, c_char_p]),
    "bloc_request_set_json": (c_int, [c_void_p, c_char_p, c_size_t]),
    "bloc_query_run": (c_int, [POINTER(Answer), c_void_p, c_void_p]),
    "bloc_answer_dispose": (None, [POINTER(Answer)]),
    "bloc_table_ncols": (c_size_t, [c_void_p]),
    "bloc_table_nrows": (c_size_t, [c_void_p]),
    "bloc_table_column_name": (c_char_p, [c_void_p, c_size_t]),
    "bloc_table_column_type": (c_int, [c_void_p, c_size_t]),
    "bloc_table_column_decimals": (c_int, [c_void_p, c_size_t]),
    "bloc_table_is_missing": (c_int, [c_void_p, c_size_t, c_size_t]),
    "bloc_table_string": (c_char_p, [c_void_p, c_size_t, c_size_t]),
    "bloc_table_int": (c_int64, [c_void_p, c_size_t, c_size_t]),
    "bloc_table_real": (c_double, [c_void_p, c_size_t, c_size_t]),
    "bloc_table_column_reals": (c_size_t, [c_void_p, c_size_t, POINTER(c_double)]),
    "bloc_table_column_strings": (c_size_t, [c_void_p, c_size_t, POINTER(c_char_p)]),
    "bloc_table_nmeta": (c_size_t, [c_void_p]),
    "bloc_table_meta_key": (c_char_p, [c_void_p, c_size_t]),
    "bloc_table_meta_value": (c_char_p, [c_void_p, c_size_t]),
}

_lock = threading.Lock()
_lib = None
_path = None


def _shared_in(directory):
    """libbloc.so in `directory`, else its versioned names (newest first)."""
    plain = os.path.join(directory, "libbloc.so")
    found = [plain] if os.path.exists(plain) else []
    found += sorted(glob.glob(os.path.join(directory, "libbloc.so.*")), reverse=True)
    return found


def _pkg_config_libdir():
    try:
        done = subprocess.run(
            ["pkg-config", "--variable=libdir", "bloc"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    libdir = done.stdout.strip()
    return libdir if done.returncode == 0 and libdir else None


def _sanitized(build):
    """Was this build made with BLOC_SANITIZE? Its library needs the ASan runtime loaded first,
    and loading it into Python would abort the process."""
    try:
        with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8", errors="replace") as f:
            return any(line.startswith("BLOC_SANITIZE:BOOL=ON") for line in f)
    except OSError:
        return False


def _build_tree():
    """The repository's build directories (build-release, build, then any other build*) when the
    package is run from bindings/python of a source tree; sanitizer builds are left out."""
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    if not os.path.exists(os.path.join(root, "CMakeLists.txt")):
        return []
    builds = [os.path.join(root, b) for b in ("build-release", "build")]
    builds += [b for b in sorted(glob.glob(os.path.join(root, "build*"))) if b not in builds]
    found = []
    for build in builds:
        if os.path.isdir(build) and not _sanitized(build):
            found += _shared_in(build)
    return found


def candidates():
    """Where the library is looked for: (how, path) pairs in order. BLOC_LIB, when set, is the
    only place tried."""
    env = os.environ.get("BLOC_LIB")
    if env:
        if os.path.isdir(env):
            return [("BLOC_LIB", p) for p in _shared_in(env)] or [
                ("BLOC_LIB", os.path.join(env, "libbloc.so"))
            ]
        return [("BLOC_LIB", env)]
    found = []
    libdir = _pkg_config_libdir()
    if libdir:
        found += [("pkg-config", p) for p in _shared_in(libdir)]
    name = ctypes.util.find_library("bloc")
    if name:
        found.append(("find_library", name))
    found += [("build tree", p) for p in _build_tree()]
    return found


def _declare(lib):
    for name, (restype, argtypes) in _PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            continue  # an older library: the caller checks what it needs with has()
        fn.restype = restype
        fn.argtypes = argtypes


def load():
    """The loaded library (once per process). Raises OSError saying where it looked."""
    global _lib, _path
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is not None:
            return _lib
        tried = []
        for how, path in candidates():
            try:
                lib = ctypes.CDLL(path)
            except OSError as e:
                tried.append(f"{how}: {e}")
                continue
            if not hasattr(lib, "bloc_query_run"):
                tried.append(f"{how}: {path}: not libbloc (no bloc_query_run)")
                continue
            _declare(lib)
            _lib, _path = lib, path
            return lib
        raise OSError(
            "libbloc not found; set BLOC_LIB to the shared library (libbloc.so), install bloc "
            "(pkg-config bloc), or build it in this repository. Tried: "
            + ("; ".join(tried) if tried else "nothing (no pkg-config bloc, no libbloc on the "
               "library path, no build tree)")
        )


def path():
    """The file the library was loaded from (loading it if need be)."""
    load()
    return _path


def has(name):
    """Does the loaded library export `name`?"""
    return hasattr(load(), name)
