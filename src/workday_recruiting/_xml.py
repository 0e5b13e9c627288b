"""The one hardened XML parser: every byte string from the wire or a file goes through ``parse_bytes``.

The parser expands no entities, loads no DTD, touches no network and keeps libxml2's limits on depth and size
(no "huge tree"), so XXE, billion-laughs and external-DTD documents cannot reach a file, the network or unbounded
memory. lxml parsers must not be shared between threads, so each thread gets its own.
"""

from __future__ import annotations

import threading

from lxml import etree

_local = threading.local()


def _new_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,
    )


def safe_parser() -> etree.XMLParser:
    """This thread's hardened parser."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = _new_parser()
    return parser


#: A hardened parser for single-threaded callers (tools, tests); library code calls :func:`safe_parser`.
SAFE_PARSER = _new_parser()


def parse_bytes(data: bytes) -> etree._Element:
    """Parse ``data`` with this thread's hardened parser and return the root element.

    Args:
        data: An XML document (a SOAP envelope, a WSDL, a schema).

    Returns:
        The document's root element.

    Raises:
        lxml.etree.XMLSyntaxError: ``data`` is not well-formed XML.
    """
    return etree.fromstring(data, parser=safe_parser())
