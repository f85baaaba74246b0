"""Compose a brief: headline, cited summary, ranked facts, quotes, timeline, coverage."""

from storyweave.compose.brief import EntityLookup, compose_brief
from storyweave.compose.quotes import group_quotes
from storyweave.compose.summary import choose_headline, choose_summary
from storyweave.compose.timeline import build_timeline

__all__ = [
    "EntityLookup",
    "build_timeline",
    "choose_headline",
    "choose_summary",
    "compose_brief",
    "group_quotes",
]
