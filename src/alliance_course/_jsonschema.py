"""``jsonschema``, imported without its optional IRI format support, to keep notebooks quick to start.

When the optional package ``rfc3987_syntax`` is installed (JupyterLab's dependencies bring it), importing
``jsonschema`` imports it too, and it builds a parser grammar at import time: 1–2.5 s per kernel on the course's
reference machine, more than pandas and matplotlib together, paid by every notebook that shows a quiz. The course's
schemas use no ``iri``/``iri-reference`` formats, so we hide that one module while jsonschema is first imported;
afterwards it can be imported normally by anything else that needs it.
"""

from __future__ import annotations

import sys

if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # makes `import rfc3987_syntax` fail fast
    try:
        import jsonschema  # noqa: F401
    finally:
        del sys.modules["rfc3987_syntax"]

import jsonschema  # noqa: E402

__all__ = ["jsonschema"]
