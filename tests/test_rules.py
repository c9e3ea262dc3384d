"""Unit tests per classifier: a line, alone or in a small context, gets the expected kind."""

from __future__ import annotations

import pytest

import boilerstrip
from sample_texts import BODY, BODY2
from boilerstrip import Config
from boilerstrip.features import line_features
from boilerstrip.lexicon import load_lexicon, stopwords
from boilerstrip.rules import score_line
from boilerstrip.rules.shape import is_byline



def kind_alone(line: str, lang: str = "en") -> str | None:
    """The strongest noise kind of a line on its own, if it clears the balanced threshold."""
    f = line_features(line, stopwords(lang))
    scores = score_line(f, load_lexicon().match(f.key), line)
    if not scores:
        return None
    kind = max(scores, key=lambda k: scores[k].value)
    return kind if scores[kind].value >= 0.5 else None


RULES_ONLY = Config(use_model=False)
"""These tests are about the rules and the context pass; the learned model is tested apart."""


def explain(text: str) -> boilerstrip.Report:
    return boilerstrip.explain(text, config=RULES_ONLY)


def kind_in_context(line: str) -> tuple[str, bool]:
    """Kind and kept flag of ``line`` placed between two body paragraphs."""
    report = explain(f"{BODY}\n{line}\n{BODY2}\n")
    d = report.lines[1]
    return d.kind, d.kept


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # nav
        ("Home > News > World", "nav"),
        ("Skip to content", "nav"),
        ("Logo", "nav"),
        ("View", "nav"),
        ("Current: Home > Politics", "nav"),
        ("Home | About | Contact | Careers", "nav"),
        ("Previous : Hundreds fled the city by road as the railways closed", "nav"),
        ("Startseite", "nav"),
        ("November 2006 (48)", "nav"),
        ("首页 > 新闻", "nav"),
        # related
        ("Related", "related"),
        ("You may also like", "related"),
        ("Also Read: Markets slide as oil jumps", "related"),
        ("Recommendation", "related"),
        ("Ranking", "related"),
        ("Lesen Sie auch", "related"),
        ("À lire aussi", "related"),
        ("More news on China", "related"),
        ("More from Reuters", "related"),
        ("Related posts worth a look", "related"),
        # ad
        ("Shopping cart", "ad"),
        ("Advertisement", "ad"),
        ("Anzeige", "ad"),
        ("We may earn a commission from links on this page.", "ad"),
        (
            "The content you see here is paid for by the advertiser or content provider whose link you click on,"
            " and is recommended to you by Revcontent.",
            "ad",
        ),
        # social
        ("Share news", "social"),
        ("Share on Facebook", "social"),
        ("Facebook Twitter WhatsApp Email", "social"),
        ("Teilen", "social"),
        # comments
        ("0 comments", "comments"),
        ("Leave a reply", "comments"),
        ("12 Comments", "comments"),
        ("Kommentare (4)", "comments"),
        ("We will be happy to hear your thoughts", "comments"),
        ("{ 53 comments… read them below or add one }", "comments"),
        ("872 comments Join the discussion", "comments"),
        ("Reader Comments (3)", "comments"),
        ("8 appreciated comments on “New work: a bank's identity”", "comments"),
        ("One response to “Why we moved”", "comments"),
        ('45 users responded in " The biggest blogging mistake I ever made "', "comments"),
        ("Login or register to post comments", "comments"),
        ("You can follow any responses to this entry through the RSS 2.0 feed.", "comments"),
        ("You can leave a response, or trackback from your own site.", "comments"),
        # author
        ("About the author", "author"),
        ("By Jane Smith and John Doe", "author"),
        ("I'm Ana Reyes: founder of a small agency. I love to write blogs about design.", "author"),
        # legal
        ("Copyright © 2025 Example Media. All rights reserved.", "legal"),
        ("© 2024 Example Media", "legal"),
        ("We use cookies to improve your experience on our site.", "legal"),
        ("Privacy Policy", "legal"),
        ("Sign up for our newsletter to get the latest news in your inbox.", "legal"),
        ("Impressum", "legal"),
        ("_ga: Google Analytics sets this cookie to calculate visitor, session and campaign data.", "legal"),
        ("Store and/or access information on a device 301 partners can use this purpose", "legal"),
        ("Tous droits réservés", "legal"),
        # caption
        ("The minister speaks to reporters | Photo Credit: AFP", "caption"),
        ("Photo: Jane Doe/Reuters", "caption"),
        ("(Getty Images)", "caption"),
        ("Usain Bolt crosses the finish line in the 200-meter final in London. (AP Photo/Matt Slocum)", "caption"),
        # meta
        ("Date:2025-04-17 10:26:20", "meta"),
        ("April 26, 2024", "meta"),
        ("5 min read", "meta"),
        ("Tags: Politics, Economy", "meta"),
        ("Published on March 3, 2023", "meta"),
        ("12. März 2024", "meta"),
        ("This entry was posted on Monday, July 23rd, 2012 at 10:14 am and is filed under News.", "meta"),
        ("A version of this article appeared in print on 11/06/2012, on page A12 of the New York edition.", "meta"),
        # widget
        ("veryGood! (839)", "widget"),
        ("1,234 views", "widget"),
        ("4.5/5 (120 votes)", "widget"),
        ("Was this article helpful?", "widget"),
    ],
)
def test_noise_line_gets_its_kind(line: str, kind: str) -> None:
    assert kind_alone(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell 3% on Monday.",
        "The report is related to a wider inquiry into the council's spending on roads and schools.",
        "Copyright law in the United States has changed a great deal over the last twenty years, experts say.",
        "Photographers were asked to leave the courtroom before the verdict was read out to the defendant.",
        "Comments made by the minister on Friday drew sharp criticism from the opposition benches.",
        "31. Further thoughts on preventing the council from raising fares",
        "He said the home was sold in 2019 and that the family had since moved abroad for work.",
        "Sign up rates for the program rose sharply after the city cut the fee to zero last year, officials said.",
        "The cookie jar on the counter was empty by noon, which surprised nobody in the office that week.",
    ],
)
def test_body_lines_that_look_like_noise_stay(line: str) -> None:
    assert kind_alone(line) is None
    kind, kept = kind_in_context(line)
    assert kept and kind in ("body", "heading"), kind


def test_short_line_between_paragraphs_is_a_heading() -> None:
    kind, kept = kind_in_context("What happens next")
    assert (kind, kept) == ("heading", True)


def test_related_header_claims_the_headline_list_after_it() -> None:
    text = f"{BODY}\n{BODY2}\nRelated\n- Storm closes schools across the region\n- Mayor faces new questions\n"
    kinds = [d.kind for d in explain(text).lines]
    assert kinds == ["body", "body", "related", "related", "related"]


def test_related_block_stops_at_prose() -> None:
    text = f"Related\n- Storm closes schools across the region\n{BODY}\n{BODY2}\n"
    report = explain(text)
    assert [d.kind for d in report.lines] == ["related", "related", "body", "body"]


def test_tag_list_after_tag_header_is_meta() -> None:
    text = f"{BODY}\n{BODY2}\nTags:\n- Transport\n- City Council\n"
    assert [d.kind for d in explain(text).lines][2:] == ["meta", "meta", "meta"]


def test_lone_bulleted_headline_between_paragraphs_is_related() -> None:
    kind, kept = kind_in_context("- Council unveils new plan for the river front")
    assert (kind, kept) == ("related", False)


def test_later_copy_of_a_paragraph_is_a_duplicate() -> None:
    report = explain(f"{BODY}\n{BODY2}\n{BODY.replace(',', ' ,')}\n")
    assert [d.kind for d in report.lines] == ["body", "body", "duplicate"]
    assert "repeats line 0" in report.lines[2].reasons[0]


def test_near_duplicate_with_different_quotes_is_a_duplicate() -> None:
    a = "Despite its \"unlimited\" partnership with Moscow, China has stayed away from providing weapons."
    b = "Despite its “unlimited” partnership with Moscow, China has stayed away from providing the weapons."
    report = explain(f"{BODY}\n{a}\n{b}\n{BODY2}\n")
    assert [d.kind for d in report.lines] == ["body", "body", "duplicate", "body"]


def test_repeated_caption_is_a_caption_everywhere() -> None:
    cap = "The minister meets students at the university library"
    report = explain(f"Bus network approved\n{cap}\n{BODY}\n{cap}\n{BODY2}\n")
    assert [(d.kind, d.kept) for d in report.lines] == [
        ("title", True), ("caption", False), ("body", True), ("caption", False), ("body", True)
    ]


def test_caption_without_its_credit_is_a_caption() -> None:
    cap = "The minister meets students at the university library"
    report = explain(f"{cap}\n{cap} | Photo: AFP\n{BODY}\n{BODY2}\n")
    assert [d.kind for d in report.lines][:2] == ["caption", "caption"]


def test_breadcrumb_that_ends_with_the_title_is_nav() -> None:
    title = "Council approves the new bus network after years of debate"
    report = explain(f"Home Local {title}\n{title}\n{BODY}\n{BODY2}\n")
    assert [d.kind for d in report.lines] == ["nav", "title", "body", "body"]


def test_author_name_next_to_bio_is_author() -> None:
    bio = "I'm Ana Reyes: founder of a small design agency. I love to write blogs about design and travel."
    report = explain(f"{BODY}\n{BODY2}\nAna Reyes\n{bio}\n")
    assert [d.kind for d in report.lines][2:] == ["author", "author"]


def test_short_lines_below_the_article_are_dropped() -> None:
    report = explain(f"{BODY}\n{BODY2}\nOur Sister Sites\nDaily Planet Weekly\n")
    assert [d.kept for d in report.lines] == [True, True, False, False]
    assert "below the article" in report.lines[3].reasons[0]


def test_a_headline_like_line_right_above_the_article_stays() -> None:
    """The line just above the article's first line is its subtitle or first heading; higher up,
    short lines are menus and teasers."""
    title, teaser = "Council expands the bus network", "Library hours extended for the summer"
    deck = "Three new routes open in spring"
    text = f"Home\n\n{title}\n\n{teaser}\n\n{deck}\n\n{BODY}\n\n{BODY2}\n"
    lines = {d.text: d for d in explain(text).lines}
    assert lines[deck].kept and lines[deck].reasons[-1].startswith("headline-like line right above the article")
    assert lines[title].kind == "title" and lines[BODY].kept and lines[BODY2].kept
    assert not lines[teaser].kept and lines[teaser].reasons[0].startswith("short line above the article")
    assert not lines["Home"].kept


def test_the_article_starts_at_the_line_repeating_the_page_titles_headline() -> None:
    """A sidebar of prose between the page title and the headline's own line is not the article;
    a section heading that happens to match the title (prose right above it) moves nothing."""
    headline = "Keeper emails from a friend"
    blurb = "Bob Walsh is the author of a startup guide and co-hosts a weekly podcast for founders. " * 3
    text = f"{headline} | 47 Hats\n\n{blurb}\n\nAsk Bob\n\n{headline}\n\n{BODY}\n\n{BODY2}\n"
    lines = {d.text: d for d in explain(text).lines}
    assert lines[headline].kind == "title" and lines[BODY].kept and lines[BODY2].kept
    assert not lines[blurb].kept and "which repeats the page title" in lines[blurb].reasons[0]
    assert lines[f"{headline} | 47 Hats"].reasons[0].startswith("page title holding the headline")
    as_heading = f"{headline} | 47 Hats\n\n{BODY}\n\n{headline}\n\n{BODY2}\n"
    assert [d.kept for d in explain(as_heading).lines if d.text] == [True, True, True, True]


def test_a_headline_repeated_below_a_short_blurb_opens_the_article_there() -> None:
    """Below the span too, when more prose follows the repeat than the span holds (a site's
    blurb above a product post whose text has no full stop)."""
    headline = "LG 84-Inch 4K 3D TV"
    blurb = (
        "The digital magazine for guys who love stuff. Five awesome new things are posted every day of the week, "
        "so come back often and tell your friends."
    )
    post = "We don't know where you are going to find the content to watch on it, but if you like big screens"
    more = "It ships in the fall with a stand and a wall mount, and the price has not been announced yet"
    text = f"{headline} | Uncrate\n\n{blurb}\n\nTweet\n\n{headline}\n\n{post}\n\n{more}\n"
    lines = {d.text: d for d in explain(text).lines}
    assert lines[headline].kind == "title" and lines[post].kept and lines[more].kept
    assert not lines[blurb].kept and "which repeats the page title" in lines[blurb].reasons[0]


def test_a_recipes_ingredient_list_stays_wherever_it_stands() -> None:
    """Short quantity lines above the method would go as "short lines above the article"; a run
    of three or more is an ingredient list. Two such lines are not."""
    ingredients = ["125 g Mehl", "65 g Zucker", "Für die Füllung:", "500 ml Milch", "2 Pck. Vanillepuddingpulver"]
    text = "Home\n\nRezepte\n\n" + "\n".join(ingredients) + f"\n\n{BODY}\n\n{BODY2}\n"
    lines = {d.text: d for d in explain(text).lines}
    assert all(lines[t].kept for t in ingredients) and not lines["Rezepte"].kept
    assert lines["125 g Mehl"].reasons[0].startswith("ingredient list of a recipe")
    two = "Home\n\nRezepte\n\n125 g Mehl\n65 g Zucker\n\n" + f"{BODY}\n\n{BODY2}\n"
    assert not any(r.startswith("ingredient list") for d in explain(two).lines for r in d.reasons)


def test_an_ingredient_list_takes_its_header_counted_lines_and_split_amounts() -> None:
    """The colon header right above the list, "1 Ei(er)" without a unit, and names printed under
    their amounts ("135 g" / "Butter") belong to the list; the line above the header does not."""
    listed = ["Für den Mürbeteig:", "125 g Mehl", "65 g Zucker", "1 Ei(er)", "1 TL Backpulver"]
    split = ["135 g", "Butter", "150 g", "Weizenmehl", "4", "Eier (Größe M)", "600 g", "Schlagsahne"]
    for ingredients in (listed, split):
        text = "Home\n\nRezepte\n\n" + "\n".join(ingredients) + f"\n\n{BODY}\n\n{BODY2}\n"
        lines = {d.text: d for d in explain(text).lines}
        assert all(lines[t].kept for t in ingredients), [t for t in ingredients if not lines[t].kept]
        assert all(lines[t].reasons[0].startswith("ingredient list of a recipe") for t in ingredients)
        assert not lines["Rezepte"].kept


def test_an_ingredient_list_below_the_share_buttons_means_there_is_no_footer() -> None:
    recipe = ["Ingredients", "120 g yellow noodles", "1 tbsp minced garlic", "2 tsp dark soya sauce"]
    text = "\n".join([ARTICLE, *FOOTER, *recipe, READER_NOTE, ""])
    lines = {d.text: d for d in explain(text).lines}
    assert lines[READER_NOTE].kept and all(lines[t].kept for t in recipe[1:])
    without = "\n".join([ARTICLE, *FOOTER, "Ingredients", READER_NOTE, ""])
    assert not explain(without).lines[-1].kept  # the footer rule itself still holds


def test_comment_thread_below_a_comments_header_is_dropped() -> None:
    thread = "I tried this last year and it worked well for our family, thanks for writing it up so clearly."
    text = f"{BODY}\n{BODY2}\n3 Comments\nJane says:\n{thread}\n"
    kinds = [d.kind for d in explain(text).lines]
    assert kinds == ["body", "body", "comments", "comments", "comments"]


def test_comments_tab_in_a_tab_bar_opens_no_thread() -> None:
    """ "Comments" under "Article" and "Video" is a tab above the article; under share buttons
    it heads the thread."""
    more = "Drivers will be hired over the winter, and the council will report on the trial in a year."
    last = "Residents can comment on the timetables at the library until the end of the month."
    tabs = f"{BODY}\n{BODY2}\nArticle\nVideo\nComments\n{more}\n{last}\n"
    assert [d.kept for d in explain(tabs).lines][-2:] == [True, True]
    one_tab = f"{BODY}\n{BODY2}\nCampaign resumes after a weekend pause\nArticle\nComments\nmore in US | Find »\n{more}\n{last}\n"
    assert [d.kept for d in explain(one_tab).lines][-2:] == [True, True]
    thread = "I tried this last year and it worked well for our family, thanks for writing it up so clearly."
    shared = f"{BODY}\n{BODY2}\nTweet\nShare\nComments\n{thread}\n"
    assert [d.kind for d in explain(shared).lines][-2:] == ["comments", "comments"]
    counted = f"{BODY}\n{BODY2}\n283 friends\nMore voters\nPost a comment\n{thread}\n"
    assert [d.kind for d in explain(counted).lines][-2:] == ["comments", "comments"]


def test_a_sentence_introducing_a_quote_is_no_commenter_line() -> None:
    quote = "He explains things clearly and makes sure I fully understand what I am learning before we move on."
    text = f"{BODY}\n{BODY2}\nHere is what my son says:\n{quote}\n"
    kinds = [d.kind for d in explain(text).lines]
    assert "comments" not in kinds
    assert kind_alone("Jane Doe says:") == "comments"


def test_comments_header_above_the_article_opens_no_thread() -> None:
    text = f"0 comments\n{BODY}\n{BODY2}\n"
    assert [d.kind for d in explain(text).lines] == ["comments", "body", "body"]


COMMENT = "I tried this last year and it worked well for our family, thanks for writing it up so clearly."
COMMENTS = (
    COMMENT,
    "The new routes will help a lot of people who work late shifts and have no car to get home.",
    "I hope they keep the fares low for longer than two years, since wages here have not gone up.",
    "My bus stop is still a long walk from the station, so I wonder whether the plan will reach us.",
)


def test_commenter_signatures_open_a_thread_without_a_header() -> None:
    sigs = ["Jane Doe 11.06.12 at 11:06 am", "Sam 11.06.12 at 11:22 am", "Ana Reyes 11.06.12 at 1:02 pm", "Bo 11.06.12 at 2:40 pm"]
    text = f"{BODY}\n{BODY2}\n" + "".join(f"{s}\n{c}\n" for s, c in zip(sigs, COMMENTS))
    lines = explain(text).lines
    assert [d.kept for d in lines] == [True, True] + [False] * 8
    assert "commenter name-and-time" in lines[3].reasons[0]


def test_signed_with_a_colon_under_each_comment_opens_a_thread() -> None:
    """TypePad blogs sign each comment below it: "Posted by: Sean | Jan 10, 2008 4:49:12 PM"."""
    sigs = [f"Posted by: {n} | Jan 10, 2008 {t} PM" for n, t in (("Sean", "4:49:12"), ("dan", "6:02:53"), ("scott", "6:45:32"),
                                                                  ("spee", "7:02:12"))]
    text = f"{BODY}\n{BODY2}\n" + "".join(f"{c}\n{s}\n" for s, c in zip(sigs, COMMENTS))
    lines = explain(text).lines
    # the thread opens at the first signature: the first comment, above it, stays
    assert [d.kept for d in lines] == [True, True, True] + [False] * 7
    assert "commenter name-and-time lines at line 3" in lines[4].reasons[0]


def test_post_footers_are_not_commenter_signatures() -> None:
    footers = [f"Posted by Jane on {d}.06.12 at 10:02 PM" for d in (11, 10, 9, 8)]
    text = f"{BODY}\n{BODY2}\n" + "".join(f"{f}\n{c}\n" for f, c in zip(footers, COMMENTS))
    assert all(d.kept for d in explain(text).lines if d.text in COMMENTS)


def test_comment_prompt_under_every_post_opens_no_thread() -> None:
    text = f"{BODY}\n{BODY2}\n" + "".join(f"Add a comment\n{c}\n" for c in COMMENTS)
    assert all(d.kept for d in explain(text).lines if d.text in COMMENTS)


def test_comment_counters_under_every_answer_count_as_one_prompt() -> None:
    """On a question-and-answer page the prompt under the question ("Add a comment |") and the
    counters under the answers ("9 Comments", "5 Comments") differ only in numbers and what
    follows a bar: they belong to the posts and open no thread."""
    prompts = ["Add a comment |", "Add a comment | Show 4 more comments", "Add a comment", "Add a comment |"]
    counters = ["12 Comments", "9 Comments", "5 Comments", "3 Comments"]
    for under in (prompts, counters):
        text = f"{BODY}\n{BODY2}\n" + "".join(f"{p}\n{c}\n" for p, c in zip(under, COMMENTS))
        assert all(d.kept for d in explain(text).lines if d.text in COMMENTS), under
    alone = f"{BODY}\n{BODY2}\n9 Comments\n" + "".join(f"{c}\n" for c in COMMENTS)
    assert not any(d.kept for d in explain(alone).lines if d.text in COMMENTS)


TEASER = (
    "Council leaders across the region quietly agree a new plan for buses trams and cycle lanes "
    "that campaigners say could change how thousands of people travel to work every day"
)


def test_a_long_teaser_headline_below_the_article_does_not_extend_it() -> None:
    headlines = [
        "Mayor opens the new bridge over the river",
        "Library hours extended for the summer months",
        "Schools prepare for a record number of pupils",
        "Harbour festival returns after a five year break",
    ]
    text = f"{BODY}\n\n{BODY2}\n\n" + "".join(f"{h}\n" for h in headlines) + f"{TEASER}\n"
    lines = {d.text: d for d in explain(text).lines}
    assert lines[BODY].kept and lines[BODY2].kept
    for h in headlines:
        assert not lines[h].kept
        assert lines[h].reasons[0].startswith("short line below the article")


def test_below_the_article_only_prose_that_ends_like_a_sentence_stays() -> None:
    closing = "The council will publish the full timetable for the new routes on its website next week."
    text = f"{BODY}\n\n{BODY2}\n\n{closing}\n\nMore stories\n\n{TEASER}\n"
    lines = {d.text: d for d in explain(text).lines}
    assert lines[closing].kept
    assert not lines[TEASER].kept
    assert lines[TEASER].reasons[0].startswith("line without a sentence end below the article")


def test_lines_sharing_a_trailing_site_name_are_linked_titles() -> None:
    titles = [
        "Council approves the new budget - City Herald",
        "Storm closes schools across the region - City Herald",
        "Mayor opens the bridge over the river - City Herald",
    ]
    text = f"{BODY}\n\n" + "\n".join(titles) + f"\n\n{BODY2}\n"
    lines = {d.text: d for d in explain(text).lines}
    assert lines[BODY].kept and lines[BODY2].kept
    for t in titles:
        assert lines[t].kind == "related" and not lines[t].kept
        assert lines[t].reasons[0] == 'one of 3 lines ending in "City Herald": titles of linked pages'


def test_two_lines_with_the_same_suffix_or_a_price_are_not_a_list() -> None:
    pairs = ["Council approves the new budget - City Herald", "Storm closes schools in the region - City Herald"]
    prices = ["Annual pass for adults - $330", "Annual pass for children - $120", "Annual pass for families - $650"]
    text = f"{BODY}\n\n" + "\n".join(pairs + prices) + f"\n\n{BODY2}\n"
    lines = {d.text: d for d in explain(text).lines}
    for t in pairs + prices:
        assert lines[t].kept, t


def test_short_paragraph_of_an_article_printed_twice_is_not_a_caption() -> None:
    short = "Watch him explain how the new routes will work"
    article = f"{BODY}\n\n{short}\n\n{BODY2}\n"
    report = explain(f"{article}\nMore stories\n\n{article}")
    lines = [d for d in report.lines if d.text == short]
    assert lines[0].kept and lines[0].kind != "caption"
    assert lines[1].kind == "duplicate" and not lines[1].kept


def test_paragraphs_naming_the_author_after_an_about_the_author_line_are_the_bio() -> None:
    bio = [
        "About the author: Jane Doe is a reporter who has written about the city council, its budgets and its quarrels since 2009.",
        "Doe studied history at the state university and worked for two regional papers before she joined the paper in 2009.",
        "In her spare time, Doe coaches a youth football team and writes a weekly column about the history of the town.",
    ]
    after = "The council meets again on Monday, when the budget for the coming year is expected to be approved."
    text = f"{BODY}\n\n{BODY2}\n\n" + "\n\n".join(bio) + f"\n\n{after}\n"
    lines = {d.text: d for d in explain(text).lines}
    assert lines[BODY].kept and lines[BODY2].kept
    assert lines[bio[0]].kind == "author" and not lines[bio[0]].kept
    for b in bio[1:]:
        assert lines[b].kind == "author" and not lines[b].kept
        assert lines[b].reasons[0].startswith("continues the author bio at line")
    assert lines[after].kind != "author"


ARTICLE = "\n".join(
    [
        BODY,
        BODY2,
        "Drivers welcomed the plan but asked for new shelters at the busiest stops, where queues grow long in winter.",
        "The council expects the extra routes to cost four million a year, paid for by a grant from the regional fund.",
        "A second vote on the night routes is due in the autumn.",
    ]
)
"""Five paragraphs, a little over 100 words: enough article for a footer to follow."""
FOOTER = ["Share this article", "Facebook", "Twitter", "Related Stories", "Tags", "Politics", "Economy", "Print"]
READER_NOTE = "A reader wrote to us last week about the bus plan and we answered every question she had."


def test_prose_below_the_article_footer_is_not_the_article() -> None:
    text = "\n".join([ARTICLE, *FOOTER, READER_NOTE, ""])
    report = explain(text)
    last = report.lines[-1]
    assert last.text == READER_NOTE and not last.kept
    assert last.reasons[0] == f"below the article's footer (lines 5 to {4 + len(FOOTER)})"
    assert all(d.kept for d in report.lines[:5])


def test_a_short_run_of_furniture_inside_the_article_is_no_footer() -> None:
    text = "\n".join([ARTICLE, *FOOTER[:4], READER_NOTE, ""])
    assert explain(text).lines[-1].kept


def test_a_footer_needs_most_of_the_article_above_it() -> None:
    text = "\n".join([READER_NOTE, *FOOTER, ARTICLE, ""])
    assert all(d.kept for d in explain(text).lines[-4:])


@pytest.mark.parametrize(
    "heads",
    [
        ["Why the council chose buses", "What the new routes will cost"],
        ["Where can drivers buy the passes?", "What will the new routes cost?"],  # questions are headings too
    ],
)
def test_a_repeated_heading_that_opens_a_paragraph_stays_and_its_contents_entry_goes(heads: list[str]) -> None:
    paras = [
        f"{BODY} Residents who came to the meetings said the plan finally answered their complaints about late buses.",
        f"{BODY2} The finance office said the extra cost would be met from the transport budget without new taxes.",
    ]
    intro = "Drivers welcomed the plan but asked for new shelters at the busiest stops, where queues grow long."
    report = explain("\n".join(["Bus network approved", *heads, intro, heads[0], paras[0], heads[1], paras[1], ""]))
    kept = {(d.index, d.text) for d in report.lines if d.kept}
    assert (4, heads[0]) in kept and (6, heads[1]) in kept
    assert [(d.kind, d.kept) for d in report.lines[1:3]] == [("caption", False), ("caption", False)]


MENU = [f"Section {name}" for name in "News Sport Business Culture Travel Money Science Health Style Food Books Music Film Games Cars Jobs".split()]
"""Sixteen menu lines: what stands between a page's ``<title>`` and its article."""


def test_a_title_far_above_the_article_is_the_page_title_and_goes() -> None:
    page_title = "Bus network approved after long debate - The Daily Example"
    report = explain("\n".join([page_title, *MENU, ARTICLE, ""]))
    first = report.lines[0]
    assert not first.kept and first.reasons[0].startswith("page title, 16 lines or more above the article")
    assert all(d.kept for d in report.lines[len(MENU) + 1 :] if d.text)
    near = explain("\n".join([page_title, *MENU[:8], ARTICLE, ""])).lines[0]
    assert near.kept and near.kind == "title"


def test_the_page_titles_copy_above_the_article_is_its_title() -> None:
    headline = "Bus network approved after long debate"
    report = explain("\n".join([headline, *MENU, headline, ARTICLE, ""]))
    kept = [(d.index, d.kind) for d in report.lines if d.text == headline and d.kept]
    assert kept == [(len(MENU) + 1, "title")]
    assert report.lines[0].reasons[0].startswith("page title or breadcrumb holding the headline")


def test_a_stray_sentence_on_a_listing_is_no_article_to_judge_the_rest_by() -> None:
    topics = "graphs robots proteins chess speech vision maps music weather traffic games tables code law trade".split()
    names = "Reyes Lin Okafor Novak Haddad Silva Berg Tanaka Moreau Kowalski Ivanova Dube Park Rossi Weber".split()
    items = [
        line
        for topic, name in zip(topics, names)
        for line in (f"Title: What we learned about {topic}", f"Authors: {name} and others", "Subjects: Artificial Intelligence")
    ]
    stray = "This listing shows the newest papers first and is updated every weekday at midnight."
    text = "\n".join([*items[:21], stray, *items[21:], ""])
    report = explain(text)
    titles = [d for d in report.lines if d.text.startswith("Title:")]
    assert all(d.kept for d in titles), [d.reasons for d in titles if not d.kept][:2]
    assert not any("the article (article runs" in d.reasons[0] for d in report.lines if not d.kept)


def test_a_byline_opens_with_one_of_few_characters() -> None:
    """``is_byline`` rejects a line by its first character before splitting it: every character
    that can open a byline word (lower-casing to the start of one, and its own upper case, as the
    full test asks) must be among those it lets through."""
    import sys

    from boilerstrip.rules.shape import _FIRST_CHARS, BYLINE_WORDS

    can_open = set()
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        low = c.lower()
        if low and c == c.upper() and any(w.startswith(low) for w in BYLINE_WORDS):
            can_open.add(c)
    assert can_open <= _FIRST_CHARS
    for word in BYLINE_WORDS:
        assert is_byline(f"{word.capitalize()} Jane Doe")
        assert is_byline(f" \t{word.upper()}, Jane Doe and John Roe")
        assert not is_byline(f"{word} Jane Doe") and not is_byline(f"x{word.capitalize()} Jane Doe")


@pytest.mark.parametrize("kind", ["body", "heading", "title", "blank", "nav", "related", "comments", "caption", "duplicate"])
def test_a_verdicts_noise_flag_follows_its_kind(kind: str) -> None:
    """``Verdict.noise`` is a field kept with the kind: set at creation, by ``set`` and by
    ``dataclasses.replace``; a line is noise unless its kind is content or blank."""
    from dataclasses import replace

    from boilerstrip.context import Verdict

    noise = kind not in ("body", "heading", "title", "blank")
    assert Verdict(kind, 0.5).noise is noise
    for start in ("body", "nav"):
        v = Verdict(start, 0.5)
        v.set(kind, 0.7, "because")
        assert v.noise is noise and v.kind == kind
        assert replace(v, reasons=["again"]).noise is noise


def test_the_verdict_templates_are_what_the_rules_give() -> None:
    """The shortcuts (a line the lexicon does not match: one verdict per shape bits; a line with
    hits: one per hits, prose flag and bits) give what scoring every rule would, on every line
    of the fixtures and on lines made to give each shape score (a change to a rule that forgets
    the shortcuts fails here)."""
    from pathlib import Path

    from boilerstrip import decide
    from boilerstrip.features import features_of_lines
    from boilerstrip.lexicon import all_stopwords
    from boilerstrip.rules import shape

    lex = load_lexicon()
    made = ["By Jane Smith", "By Jane Smith 2024 12 31", "12:30", "» »", "Home News Sport", "© 2024", "BY ANNA", "| |"]
    for path in sorted((Path(__file__).parent.parent / "fixtures" / "golden").glob("*.txt")):
        made += path.read_text(encoding="utf-8").splitlines()
    feats = features_of_lines(made, all_stopwords(), {})
    seen = set()
    for f, text in zip(feats, made):
        bits = shape.fired(f, text)
        assert [s for s in shape.score(f, [], text)] == [s for i, s in enumerate(shape.SCORES) if bits >> i & 1]
        hits = lex.match(f.key)
        for threshold in (0.3, 0.5, 0.95):
            general = decide._template_of(score_line(f, hits, text), hits, threshold) if not f.blank else decide._BLANK
            assert decide._verdict_template(f, text, lex, threshold) == general, text
        if not hits:
            seen.add(bits)
    assert all(any(b >> i & 1 for b in seen) for i in range(len(shape.SCORES)))  # each score is reached


@pytest.mark.parametrize(
    "config",
    [Config(), Config(allow=("share",)), Config(drop=frozenset({"nav"})), Config(keep_title=False, allow=("home",))],
)
def test_the_kept_lines_are_those_keep_line_keeps_with_the_same_reasons(config: Config) -> None:
    """``_kept_lines`` skips the call for the lines ``_keep_line`` settles without a word: it
    keeps and drops the same lines and leaves the same reasons, for every kind and config."""
    from copy import deepcopy

    from boilerstrip import decide
    from boilerstrip.context import Verdict

    kinds = ["blank", "body", "heading", "title", "nav", "social", "related", "comments", "caption"]
    texts = [f"{word} line" for word in ("Home", "Share", "Body", "Menu")]
    verdicts = [Verdict(kind, 0.8, [f"why {kind}"]) for kind in kinds for _ in texts]
    texts = texts * len(kinds)
    allow = tuple(a.casefold() for a in config.allow)
    fast = deepcopy(verdicts)
    slow = deepcopy(verdicts)
    assert decide._kept_lines(texts, fast, config, allow) == [decide._keep_line(t, v, config, allow) for t, v in zip(texts, slow)]
    assert [v.reasons for v in fast] == [v.reasons for v in slow]


def test_later_passes_word_their_reasons_only_for_reports() -> None:
    """A line a later pass drops says so ("pass 2: ...", with the document's line numbers) when
    reasons are asked for; without, the same lines are kept with the same kinds (clean skips
    that wording). One fixture has such a line."""
    from pathlib import Path

    from boilerstrip.decide import settle

    worded = 0
    for path in sorted((Path(__file__).parent.parent / "fixtures").rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        full, quick = settle(text, Config(), explain=True), settle(text, Config(), explain=False)
        assert (full.text, full.kept) == (quick.text, quick.kept)
        assert [v.kind for v in full.verdicts] == [v.kind for v in quick.verdicts]
        worded += any(r.startswith("pass ") for v in full.verdicts for r in v.reasons)
        assert not any(r.startswith("pass ") for v in quick.verdicts for r in v.reasons)
    assert worded >= 1
