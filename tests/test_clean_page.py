"""The cleaner on whole pages saved as text (menus, footers, link boxes, comment threads around the
article), and the guards that keep an article's own paragraphs: seams for appended stories, templated
repeats, near repeats that differ in a name."""

from __future__ import annotations

from storyweave.clean import clean_article
from storyweave.clean.body import body_span
from storyweave.clean.lines import is_prose, line_words, split_paragraphs
from storyweave.ingest.html import read_html
from storyweave.model import Article

FERRY_TITLE = "Ferry crews in Halden strike over new rosters"
FERRY_BODY = [
    "Crews on the three ferry lines that link Halden with the islands of the Skerry archipelago walked out "
    "on Monday, stranding about 4,000 commuters, after talks over new shift rosters broke down.",
    "The Coastal Transport Union said its members would stay off the boats until Nordhav Ferries withdrew "
    "rosters that it says would add up to nine hours to a crew member's week without extra pay.",
    "Nordhav Ferries said the new rosters were needed to keep the crossings running through the winter "
    "and that it had offered a one-off payment to every crew member.",
    "“We are not asking for anything new, only to keep the week we were promised,” said union "
    "representative Marit Solberg, speaking on the quay in Halden.",
    "The town council has chartered two fishing boats to carry schoolchildren and hospital staff "
    "until the strike ends.",
]
MENU = ["Home", "News", "Local", "Sport", "Business", "Culture", "Weather", "Jobs", "Contact"]
FOOTER = ["About us", "Advertise", "Careers", "Privacy policy", "Terms of use", "© 2025 Halden Courier"]


def _page() -> str:
    return "\n".join(
        [
            f"{FERRY_TITLE} | Halden Courier",
            *MENU,
            "Subscribe",
            "Arab Regional News Opinion Islands Harbour Politics Schools Health Science Business Tech WORLD",
            FERRY_TITLE,
            "By Ingrid Holm",
            "Published: 3 March 2025",
            *FERRY_BODY[:3],
            "Related",
            "Bridge to Skerry islands delayed again",
            "Council votes to cut ferry fares for pupils",
            FERRY_BODY[3],
            FERRY_BODY[4],
            "Click to share on Twitter (Opens in new window)",
            "Click to email this to a friend (Opens in new window)",
            "Most read",
            "Harbour café wins national prize",
            "Storm warning for the weekend",
            "Police seek witnesses after break-in",
            *FOOTER,
            "3 responses to “Ferry crews in Halden strike over new rosters”",
            "Kari N. says:",
            "The company has been cutting corners on the crossings for years and this was bound to happen.",
            "Per O. says:",
            "I support the crews, but the council should have arranged buses for everyone weeks ago.",
        ]
    )


def test_page_dump_keeps_the_article_and_nothing_around_it() -> None:
    out = clean_article(Article(id="page", raw_text=_page()))
    assert out.title == f"{FERRY_TITLE} | Halden Courier"
    assert out.paragraphs == FERRY_BODY
    assert out.published == "2025-03-03"
    reasons = {r.text: r.reason for r in out.removed}
    assert all(reasons[item] == "navigation" for item in MENU)
    assert reasons[FERRY_TITLE] == "duplicate"  # the headline above the body
    assert reasons["Related"] == reasons["Council votes to cut ferry fares for pupils"] == "off-topic"
    assert reasons["3 responses to “Ferry crews in Halden strike over new rosters”"] == "comments"
    assert reasons["Kari N. says:"] == "comments"
    assert reasons["Click to share on Twitter (Opens in new window)"] == "navigation"


def test_a_scrape_with_a_stray_line_or_two_is_left_to_the_line_rules() -> None:
    raw = "\n\n".join([FERRY_TITLE, "Islands", *FERRY_BODY, "Ferries", "Halden"])
    paras = split_paragraphs(raw)
    assert body_span(paras, FERRY_TITLE) == []
    out = clean_article(Article(id="scrape", raw_text=raw))
    assert "Islands" in out.paragraphs and "Halden" in out.paragraphs  # leftovers, never lost text


def test_short_articles_and_lists_are_not_trimmed() -> None:
    """No article-sized prose to anchor on (a stub, a fixture list): nothing is cut."""
    raw = "\n".join(["Cup fixtures", *[f"Round {n}: Halden v Skerry, {n} May" for n in range(1, 12)]])
    assert body_span(split_paragraphs(raw), None) == []
    out = clean_article(Article(id="list", raw_text=raw))
    assert len(out.paragraphs) == 11


def test_an_extracted_body_keeps_its_trailing_list() -> None:
    dates = [f"{n} June – Halden, Harbour Hall" for n in range(1, 9)]
    raw = "\n\n".join([FERRY_TITLE, *FERRY_BODY, "Tour dates:", *dates])
    extracted = clean_article(Article(id="x", raw_text=raw, extra={"extractor": "trafilatura"}))
    assert extracted.paragraphs[-len(dates) :] == dates
    dumped = clean_article(Article(id="d", raw_text=raw))
    assert dumped.paragraphs == FERRY_BODY  # a page dump's trailing short lines are its furniture


def test_prose_and_words() -> None:
    assert is_prose(FERRY_BODY[4])
    assert is_prose("He said the talks had failed.")
    assert not is_prose("Police seek witnesses after break-in")
    assert not is_prose("Arab Regional News Opinion Islands Harbour Politics Schools Health Science Business")
    assert line_words("フェリーの乗組員が新しい勤務表に抗議してストライキを始めました。") >= 15
    assert is_prose("フェリーの乗組員が新しい勤務表に抗議してストライキを始めました。")


# --------------------------------------------------------------------------------------------------
# guards for the article's own paragraphs

FEATURE = [
    "A man in northern Norway developed a rare lung allergy after buying a feather duvet, doctors said "
    "in a case report published on Monday.",
    "The 43-year-old had been tired and breathless for months, and his family doctor first treated him "
    "for a chest infection that did not clear up, before the cause of his illness was found.",
    "At the regional hospital in Tromsø, chest specialist Erik Nygaard and radiologist Sofie Vik studied "
    "scans that showed inflamed tissue in both lungs, a pattern usually seen in pigeon keepers and farmers.",
    "Nygaard asked about pigeons and parrots at home. There were none, but Vik noticed from the notes that "
    "new bedding had arrived in the autumn, and tests on the stuffing confirmed the suspicion.",
    "Steroids and a synthetic quilt did the rest. Nygaard said the patient was back at work within a year "
    "and had kept the quilt.",
]


def test_a_feature_moving_to_new_people_is_not_an_appended_story() -> None:
    """New names and words without a seam (no headline, nothing removed before) are the article's own;
    the same paragraphs after a removed line (here an advert) would be cut as an appended story."""
    raw = "\n\n".join(["Man develops rare lung allergy from new duvet", *FEATURE])
    out = clean_article(Article(id="feature", raw_text=raw))
    assert out.paragraphs == FEATURE
    assert out.removed == []
    seam = "\n\n".join(
        ["Man develops rare lung allergy from new duvet", *FEATURE[:2], "Advertisement", *FEATURE[2:]]
    )
    cut = clean_article(Article(id="seam", raw_text=seam))
    assert cut.paragraphs == FEATURE[:2]


def test_templated_repeats_and_name_changes_are_not_duplicates() -> None:
    questions = "What made you start cooking for the whole street? Which dish do you cook most often?"
    guests = ["Anna", "Olga", "Maria"]
    body: list[str] = []
    for guest in guests:
        body += [
            f"Our next guest is {guest} from the harbour district, who runs the street's Friday supper.",
            questions,
            f"You can vote for {guest} on the last page of this article before Sunday evening.",
        ]
    out = clean_article(Article(id="contest", raw_text="\n\n".join(["Street supper contest", *body])))
    assert out.paragraphs == body
    assert out.removed == []


def test_article_resumes_after_a_links_box() -> None:
    raw = "\n\n".join(
        [
            FERRY_TITLE,
            *FERRY_BODY[:3],
            "DON'T MISS",
            "Bridge to Skerry islands delayed again [NEWS]",
            "Storm warning for the weekend [WEATHER]",
            "The union said the Halden strike would go on.",
            *FERRY_BODY[3:],
        ]
    )
    out = clean_article(Article(id="box", raw_text=raw))
    assert out.paragraphs == [
        *FERRY_BODY[:3],
        "The union said the Halden strike would go on.",
        *FERRY_BODY[3:],
    ]
    assert {r.reason for r in out.removed} == {"off-topic"}


def test_japanese_page_is_read_and_cleaned() -> None:
    paragraphs = [
        "ハルデンのフェリー乗組員は月曜日、新しい勤務表をめぐる交渉が決裂したことを受けてストライキに入りました。",
        "組合によると、新しい勤務表では乗組員の労働時間が週に最大九時間増えるということです。",
    ]
    page = (
        "<html lang='ja'><head><title>フェリー乗組員がストライキ</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article></body></html>"
    )
    article = read_html(page.encode("utf-8"), "ja", "ja.html")
    assert article.language == "ja"
    out = clean_article(article)
    assert out.paragraphs == paragraphs
