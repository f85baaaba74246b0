"""Cross-source fact alignment: claims of different articles that state the same thing become one Fact."""

from storyweave.align.facts import align_facts

__all__ = ["align_facts"]
