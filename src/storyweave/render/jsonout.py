"""The ``storyweave.brief/1`` JSON rendering and its schema check.

Named ``jsonout`` rather than ``json`` so that it can never be mistaken for the standard library module.
The schema ships as package data and is read through importlib.resources, so it works from a wheel or zip.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from storyweave.model import Brief

SCHEMA_RESOURCE = "brief-1.schema.json"


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``storyweave.brief/1`` contract, as a fresh dict."""
    text = (resources.files("storyweave") / "schema" / SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_brief(data: dict[str, Any]) -> None:
    """Check a brief's JSON object against the contract; raises ``jsonschema.ValidationError`` (the most
    relevant error when there are several) if it does not conform."""
    _validator().validate(data)


def brief_to_json(brief: Brief) -> str:
    """The brief as contract JSON: indented by 2, non-ASCII kept as is, ending with a newline."""
    return json.dumps(brief.to_dict(), indent=2, ensure_ascii=False) + "\n"
