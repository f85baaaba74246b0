"""Cross-article reconciliation: entities, publication dates, disagreements, source independence."""

from __future__ import annotations

from storyweave.reconcile.entities import EntityIndex, reconcile_entities

__all__ = ["EntityIndex", "reconcile_entities"]
