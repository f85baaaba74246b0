"""Names of social networks and news agencies: organisations that NER models often tag as people.

spaCy's small English model tags "Reuters" and "Twitter" PERSON in a good share of news sentences
("Reuters reported", "Twitter said"); these are names no person in a news story carries, so a short
closed list fixes their type. Kept as data, not rules: add a name here when a benchmark shows it.
"""

from __future__ import annotations

__all__ = ["NEWS_AGENCIES", "SOCIAL_NETWORKS", "is_outlet_name"]

# Names that are also people's names or common words ("Bloomberg" the mayor, "Signal", "Threads", "Ani")
# are left out: a wrong ORG costs a person their short form.
SOCIAL_NETWORKS = frozenset(
    {
        "twitter", "x", "facebook", "instagram", "tiktok", "youtube", "snapchat", "whatsapp", "telegram",
        "reddit", "linkedin", "pinterest", "bluesky", "mastodon", "truth social", "weibo", "wechat",
        "vkontakte", "tumblr", "twitch", "parler",
    }
)  # fmt: skip

NEWS_AGENCIES = frozenset(
    {
        "reuters", "thomson reuters", "ap", "associated press", "the associated press", "afp",
        "agence france-presse", "agence france presse", "xinhua", "xinhua news agency", "tass",
        "ria novosti", "interfax", "kyodo", "kyodo news", "yonhap", "dpa", "ansa", "efe", "upi",
        "united press international", "pti", "press trust of india", "ians", "bloomberg news", "anadolu",
        "anadolu agency", "kcna", "korean central news agency", "irna", "wafa", "pa media",
        "press association", "canadian press", "the canadian press", "aap", "australian associated press",
        "bernama", "jiji press", "sputnik", "europa press", "belga", "tanjug",
    }
)  # fmt: skip


def is_outlet_name(name: str) -> bool:
    """True when ``name`` (as written, any case, possessive or leading "the" allowed) is a social network
    or a news agency."""
    key = " ".join(name.replace("’", "'").removesuffix("'s").split()).casefold()
    key = key.removeprefix("the ") if key not in NEWS_AGENCIES else key
    return key in SOCIAL_NETWORKS or key in NEWS_AGENCIES
