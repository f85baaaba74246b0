"""Readers that turn inputs (files, folders, standard input) into raw :class:`Article` objects."""

from storyweave.ingest.detect import expand_inputs, read_input, read_inputs

__all__ = ["expand_inputs", "read_input", "read_inputs"]
