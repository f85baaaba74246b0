"""Bottom layer shared by every stage: word lists (``lexicon``) and graph helpers (``graph``).

Nothing here imports the rest of storyweave, so any stage may import it; heavy libraries (scipy,
scikit-learn) are imported inside the functions that use them, so importing this package is cheap.
"""
