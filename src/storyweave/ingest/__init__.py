"""Readers that turn inputs (files, folders, stdin, URLs and feeds) into raw :class:`Article` objects."""

from storyweave.ingest.detect import (
    DEFAULT_INCLUDE,
    expand_inputs,
    iter_input,
    outlet_from_url,
    read_inputs,
    with_url_outlet,
)

__all__ = [
    "DEFAULT_INCLUDE",
    "expand_inputs",
    "iter_input",
    "outlet_from_url",
    "read_inputs",
    "with_url_outlet",
]
