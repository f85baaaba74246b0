"""Watching sources (feeds, pages, folders, JSON-lines files) for new articles, and alerting on what changed.

``storyweave watch`` runs :class:`~storyweave.watch.runner.Watcher`; its state (watch list, validators,
offsets, seen entries, alert rules and alerts) lives in the store, see :mod:`storyweave.watch.state`.
"""
