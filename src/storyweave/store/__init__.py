"""The incremental store: a SQLite file holding every stage's output, so articles can be added all day
and only the stories they touch are re-briefed. I/O only; the pipeline decides what goes in."""

from storyweave.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration, SchemaError
from storyweave.store.sqlite import (
    EXPORT_FORMAT,
    Member,
    Store,
    StoredBrief,
    StoreError,
    StoryEvent,
    StoryRow,
    write_jsonl,
)

# The store file the commands use when none is named (here, not in service.py, so that the command line
# can name it without importing the pipeline).
DEFAULT_DB = "storyweave.db"

__all__ = [
    "DEFAULT_DB",
    "EXPORT_FORMAT",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Member",
    "Migration",
    "SchemaError",
    "Store",
    "StoreError",
    "StoredBrief",
    "StoryEvent",
    "StoryRow",
    "write_jsonl",
]
