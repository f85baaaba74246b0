"""Group articles into stories and find syndicated copies within a story."""

from storyweave.group.stories import group_stories
from storyweave.group.syndication import syndication_groups

__all__ = ["group_stories", "syndication_groups"]
