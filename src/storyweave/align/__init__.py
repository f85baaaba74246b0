"""Cross-source fact alignment: sentences of different articles that state the same thing."""

from storyweave.align.facts import align_facts, sentence_similarity

__all__ = ["align_facts", "sentence_similarity"]
