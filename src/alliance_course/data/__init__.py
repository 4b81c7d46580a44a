"""Load the course's sourced fact tables as typed pandas DataFrames.

The tables live in ``data/`` as CSV files described by a Frictionless Data Package
(``data/datapackage.json``); each table's Table Schema is ``data/schemas/<table>.json``.
The schema decides the dtypes, so notebooks never parse dates or cast columns by hand::

    from alliance_course import data
    data.tables()                  # {"nato_members": "The 32 members of NATO ...", ...}
    members = data.load("nato_members")
    print(data.cite("nato_members"))

Type mapping (Table Schema → pandas):

- ``date``, ``datetime`` → ``datetime64``
- ``integer``, ``year`` → nullable ``Int64``
- ``number`` → ``float64``
- ``boolean`` → nullable ``boolean``
- any field with an ``enum`` constraint → ``Categorical`` whose categories follow the enum order
  (ordered when the field sets ``"categoriesOrdered": true``)
- ``string`` → ``string``

Everything is read from local files: nothing needs the network. Tables are cached per process;
``load`` always returns a copy, so changing the result never changes what the next call returns.
"""


from __future__ import annotations

from .package import (  # noqa: F401 - every name stays importable from alliance_course.data
    PACKAGE_FILE, SOURCE_SEPARATOR, _DEFAULT_TRUE, _DEFAULT_FALSE, _DATE_SHAPE, DataError, UnknownTableError,
    UnknownSourceError, _Resource, _frame_cache, clear_cache, _read_json, _package, _resource_dicts,
    _unknown_table, _resource, schema, tables,
)
from .reading import (  # noqa: F401 - every name stays importable from alliance_course.data
    _convert, _csv_rows, _read, load, validate_all,
)
from .validation import (  # noqa: F401 - every name stays importable from alliance_course.data
    file_digest, _row_label, _validate,
)
from .citation import (  # noqa: F401 - every name stays importable from alliance_course.data
    split_sources, is_url, sources, source, _format_entry, cite,
)

__all__ = [
    "DataError",
    "UnknownTableError",
    "UnknownSourceError",
    "load",
    "validate_all",
    "file_digest",
    "tables",
    "cite",
    "sources",
    "source",
    "split_sources",
    "is_url",
    "schema",
    "clear_cache",
]

