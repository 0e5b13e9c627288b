"""The one hardened XML parser: every byte string from the wire or a file goes through ``parse_bytes``.

The parser expands no entities, loads no DTD, touches no network and keeps libxml2's limits on depth and size
(no "huge tree"), so XXE, billion-laughs and external-DTD documents cannot reach a file, the network or unbounded
memory. lxml parsers must not be shared between threads, so each thread gets its own.

One limit is too tight for real responses: a text node may not exceed 10 MB, and a candidate's résumé or attachment
(``attachments=True``) is a base64 text node that passes it for a file of 7.5 MB. A document that hits one of
libxml2's resource limits is therefore parsed once more with the limits raised (``huge_tree``: text nodes up to 1 GB,
nesting up to 2048 levels), still with no entities, DTD or network. What bounds memory then is the caller's size cap
on the document (``max_response_bytes``, 64 MiB by default, for every response).
"""

from __future__ import annotations

import re
import threading
from typing import Final

from lxml import etree

_local = threading.local()
_RESOURCE_LIMIT = etree.ErrorTypes.ERR_RESOURCE_LIMIT


def _new_parser(*, huge_tree: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=huge_tree,
        remove_comments=False,
    )


def safe_parser() -> etree.XMLParser:
    """This thread's hardened parser."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = _new_parser()
    return parser


def _huge_parser() -> etree.XMLParser:
    """This thread's hardened parser with libxml2's size and depth limits raised (see the module's docstring)."""
    parser: etree.XMLParser | None = getattr(_local, "huge_parser", None)
    if parser is None:
        parser = _local.huge_parser = _new_parser(huge_tree=True)
    return parser


#: A hardened parser for single-threaded callers (tools, tests); library code calls :func:`safe_parser`.
SAFE_PARSER = _new_parser()


def parse_bytes(data: bytes) -> etree._Element:
    """Parse ``data`` with this thread's hardened parser and return the root element.

    A document that hits one of libxml2's resource limits (a text node over 10 MB: a large attachment) is parsed again
    with the limits raised; the caller bounds its size.

    Args:
        data: An XML document (a SOAP envelope, a WSDL, a schema).

    Returns:
        The document's root element.

    Raises:
        lxml.etree.XMLSyntaxError: ``data`` is not well-formed XML (or too deep even for the raised limits).
    """
    try:
        return etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        if getattr(exc, "code", None) != _RESOURCE_LIMIT:  # lxml sets it; its stubs do not declare it
            raise
    return etree.fromstring(data, parser=_huge_parser())


def raw_text(el: etree._Element) -> str | None:
    """The element's character data as sent (not stripped), comments and processing instructions inside it left out.

    A text element has no element children, so anything ``lxml`` lists under it is a comment or a processing
    instruction: ``<First_Name>Al<!-- x -->ex</First_Name>`` reads ``"Alex"`` (its pieces are the element's text and
    each such child's tail). ``None`` when the element holds no character data.
    """
    text = el.text
    if len(el) == 0:
        return text
    return "".join([text or "", *(child.tail or "" for child in el)]) or None


def text_of(el: etree._Element) -> str | None:
    """The element's text (comments and processing instructions inside it left out), stripped; ``None`` when blank."""
    text = el.text if len(el) == 0 else raw_text(el)
    if text is None:
        return None
    text = text.strip()
    return text or None


#: Characters XML 1.0 cannot carry, escaped or not (its ``Char`` production): C0 controls other than tab, newline and
#: carriage return, lone surrogates, U+FFFE and U+FFFF.
NOT_XML_CHAR: Final = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
