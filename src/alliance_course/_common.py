"""Small helpers the whole package shares, each in one place.

Nothing here imports a UI library (ipywidgets, IPython display, matplotlib): models, the build and the CLI may all
use it. Keep every helper short and documented; a helper used by one module belongs in that module.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "write_atomic", "normalize_notebook", "find_by_id", "close_match", "describe_value", "cached_by_mtime",
    "course_relative", "in_kernel",
]

T = TypeVar("T")
_ONE_OR_TWO_DIGITS = re.compile(r"^[0-9]{1,2}$")


def write_atomic(path: Path | str, text: str | bytes, mode: int | None = None) -> None:
    """Write ``text`` to ``path`` so that a reader never sees half a file.

    The content goes to a unique temporary file in the same folder (``.<name>-<random>.tmp``), is flushed to disk,
    then moved over ``path`` in one step (``os.replace``). If anything fails the temporary file is removed and
    ``path`` is untouched. The file gets ``mode`` if given, else the mode of the file it replaces, else the
    umask's default (0644 with the common umask 022).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomic(target, "hello")
    >>> target.read_text()
    'hello'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    binary = isinstance(text, bytes)
    handle = tempfile.NamedTemporaryFile("wb" if binary else "w", encoding=None if binary else "utf-8",
                                         newline=None if binary else "", dir=path.parent,
                                         prefix=f".{path.name}-", suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, mode)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def normalize_notebook(notebook: Any, error: type[Exception] = ValueError, what: str = "notebook", *,
                       message: str | None = None) -> str:
    """A lesson number as two digits: ``"02"`` from ``"02"``, ``"2"`` or ``2``.

    Only ASCII digits count (an int from 0 to 99, or text of one or two digits around spaces). Anything else raises
    ``error`` (callers pass their own exception class), with ``message`` if given (``{value}`` in it is replaced by
    :func:`describe_value` of the value), else a message naming ``what`` and the value.

    >>> normalize_notebook(2), normalize_notebook(" 7 "), normalize_notebook("10")
    ('02', '07', '10')
    >>> normalize_notebook("two")
    Traceback (most recent call last):
    ...
    ValueError: notebook must be a two-digit number such as "02", not 'two'.
    """
    text = ""
    if isinstance(notebook, int) and not isinstance(notebook, bool) and 0 <= notebook < 100:
        text = str(int(notebook))
    elif isinstance(notebook, str) and len(notebook) < 200:
        text = str.__str__(notebook).strip()
    if _ONE_OR_TWO_DIGITS.match(text):
        return text.zfill(2)
    shown = describe_value(notebook)
    raise error(message.format(value=shown) if message else
                f"{what} must be a two-digit number such as \"02\", not {shown}.")


def close_match(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (a likely typo), or None.

    >>> close_match("stabilsation", ["stabilisation", "maritime"])
    'stabilisation'
    """
    found = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return found[0] if found else None


def find_by_id(items: Iterable[T], item_id: str, what: str, *, where: str = "", key: Callable[[T], str] | None = None,
               error: type[Exception] = KeyError) -> T:
    """The item whose ``id`` (or ``key(item)``) is ``item_id``; otherwise ``error`` listing the ids that exist and
    suggesting the closest one.

    >>> find_by_id(["north", "south"], "sout", "phase", key=str)
    Traceback (most recent call last):
    ...
    KeyError: "no phase 'sout' (did you mean 'south'?); choose one of: north, south"
    """
    key = key or (lambda item: item.id)  # type: ignore[attr-defined]
    items = list(items)
    for item in items:
        if key(item) == item_id:
            return item
    ids = [key(item) for item in items]
    guess = close_match(item_id, ids)
    hint = f" (did you mean {guess!r}?)" if guess else ""
    place = f" in {where}" if where else ""
    raise error(f"no {what} {item_id!r}{place}{hint}; choose one of: {', '.join(ids)}")


def describe_value(value: Any, limit: int = 40) -> str:
    """A short, safe ``repr`` of a value for an error message: cut to ``limit`` characters (with "..."), never the
    full repr of something huge, and the type's name when the repr cannot be made (a hostile ``__repr__``, a huge
    int, deep nesting).

    >>> describe_value("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"
    >>> describe_value(10 ** 5000)
    'a number with about 5001 digits'
    """
    def cut(text: str) -> str:
        return text if len(text) <= limit else text[:limit - 3] + "..."

    def type_name() -> str:
        try:
            name = type(value).__name__
        except Exception:  # noqa: BLE001
            return "Python"
        return (name if len(name) <= 30 else name[:27] + "...") if isinstance(name, str) else "Python"

    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"a number with about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, str):
        return repr(cut(str.__str__(value)))  # the text is cut, then quoted: the quotes stay visible
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - hostile __repr__, recursion, int-to-str limits: describe by type
        return f"a {type_name()} object"
    if not isinstance(text, str):
        return f"a {type_name()} object"
    return cut(str.__str__(text))


def cached_by_mtime(function: Callable[[Path], T]) -> Callable[[Path], T]:
    """Cache ``function(path)`` until the file's modification time or size changes.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "n.txt"; _ = p.write_text("1")
    >>> read = cached_by_mtime(lambda path: path.read_text())
    >>> read(p)
    '1'
    """
    cache: dict[Path, tuple[tuple[int, int], T]] = {}

    def cached(path: Path) -> T:
        path = Path(path)
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        hit = cache.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = function(path)
        cache[path] = (stamp, value)
        return value

    cached.cache_clear = cache.clear  # type: ignore[attr-defined]
    cached.__doc__ = function.__doc__
    cached.__wrapped__ = function  # type: ignore[attr-defined]
    return cached


def course_relative(path: Path | str, root: Path | str | None = None) -> str:
    """``path`` relative to the course root (or ``root``) with forward slashes; the path itself if it lies
    elsewhere. Used in messages so they read the same on every machine."""
    if root is None:
        from alliance_course import paths

        root = paths.course_root()
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


def in_kernel() -> Any:
    """The IPython shell when running in a Jupyter kernel (rich display available), else None.

    Never imports IPython: if no one has imported it, this is not a kernel.

    >>> in_kernel() is None
    True
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell if shell is not None and hasattr(shell, "kernel") else None


def forward_to_view(model: str, names: Iterable[str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that finds ``names`` in the model's view module (``<model>_view``), imported only
    when first asked for. Lets ``fg.widget()`` keep working while the model itself never imports a UI library.

    Usage at the end of a model module: ``__getattr__ = forward_to_view(__name__, ["widget", "plot_outcome"])``.
    """
    wanted = frozenset(names)

    def __getattr__(name: str) -> Any:
        if name in wanted:
            import importlib

            return getattr(importlib.import_module(f"{model}_view"), name)
        raise AttributeError(f"module {model!r} has no attribute {name!r}")

    return __getattr__
