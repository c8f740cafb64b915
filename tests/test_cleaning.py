"""Text clean-up on hand-written articles: every kind of chrome and damage the cleaner handles."""

import unicodedata

from provenance.cleaning import clean


def test_hard_wrapped_lines_are_joined_and_hyphenation_repaired() -> None:
    raw = (
        "The minister met union leaders for a long-\nawaited round of negoti-\nations on Monday.\n\n"
        "Talks resumed\nlater that week."
    )
    cleaned = clean(raw)
    assert cleaned.text == (
        "The minister met union leaders for a long-awaited round of negotiations on Monday.\n\n"
        "Talks resumed later that week."
    )


def test_single_line_paragraphs_stay_paragraphs() -> None:
    cleaned = clean("First paragraph here.\nSecond paragraph here.\nThird one.")
    assert cleaned.text.split("\n\n") == ["First paragraph here.", "Second paragraph here.", "Third one."]


def test_navigation_and_sharing_lines_are_removed() -> None:
    raw = (
        "03/02/2021, 10.15\nSend to a friend\n\nCouncil approves budget\n\n"
        "The council approved the budget on Tuesday after a long debate.\n\n"
        "Printable version\nLeave a Comment\nWrite to us with your thoughts at the address below"
    )
    cleaned = clean(raw)
    assert (
        cleaned.text
        == "Council approves budget\n\nThe council approved the budget on Tuesday after a long debate."
    )
    assert cleaned.title == "Council approves budget"


def test_see_also_list_and_subscription_prompt_are_removed() -> None:
    raw = (
        "The harbour reopened on Friday after the storm had passed.\n\n"
        "See also\nFishermen count losses after storm\n01/02/2021 09:30\nNew sea wall planned for town\n\n\n"
        "Subscribe to our updates or change your preferences\n\nSubscribe now"
    )
    assert clean(raw).text == "The harbour reopened on Friday after the storm had passed."


def test_related_article_line_is_removed() -> None:
    raw = (
        "The vote passed narrowly.\n\nRelated article: 'Deep Divisions' Ahead of Vote\n\n"
        "Counting ended at midnight."
    )
    assert clean(raw).text == "The vote passed narrowly.\n\nCounting ended at midnight."


def test_video_teaser_lines_are_removed() -> None:
    raw = (
        "The vote passed narrowly.\n\nWATCH: Senator says the deal will collapse by spring\n\n"
        "Watch: Minister says talks are going well\n\nCounting ended at midnight."
    )
    assert clean(raw).text == "The vote passed narrowly.\n\nCounting ended at midnight."


def test_newsletter_blurb_inside_a_paragraph_is_removed() -> None:
    raw = (
        "The mayor spoke first. Jane and Joe take you through the news, free every weekday morning "
        "Privacy Notice: Newsletters may contain information about charities. We use Google reCaptcha to "
        "protect our website. The crowd cheered when she finished."
    )
    assert clean(raw).text == "The mayor spoke first. The crowd cheered when she finished."


def test_signing_up_in_the_news_is_not_a_newsletter_blurb() -> None:
    raw = (
        "The Netherlands would not sign up to another pot of common debt, the minister said. "
        "He has lost 16 lbs. since he signed up for the program. Millions subscribe to the service. "
        "Sign up for our morning newsletter. Subscribe now"
    )
    assert clean(raw).text == (
        "The Netherlands would not sign up to another pot of common debt, the minister said. "
        "He has lost 16 lbs. since he signed up for the program. Millions subscribe to the service."
    )


def test_embedded_social_post_is_removed_with_its_lines() -> None:
    raw = (
        "The senator left the chamber early.\n The senator says the bill “is dead on arrival”\n"
        "for now. Is that so? pic.twitter.com/AbCdEf123\n\n— Some Reporter (@somereporter) March 3, 2021\n\n"
        "Debate continues on Thursday."
    )
    assert clean(raw).text == "The senator left the chamber early.\n\nDebate continues on Thursday."


def test_captions_printed_twice_with_credit_are_removed() -> None:
    raw = (
        "The bridge was closed for repairs.\n"
        "Workers inspect the bridge in Leeds on 3 March 2021.\n"
        "Workers inspect the bridge in Leeds, 3 March 2021. Photograph: Jane Doe/Reuters\n"
        "It will reopen next month."
    )
    assert clean(raw).text == "The bridge was closed for repairs.\n\nIt will reopen next month."


def test_inline_caption_and_credit_are_removed_from_a_long_paragraph() -> None:
    raw = (
        "The summit opened on Monday. A delegate arrives at the leaders’ venue in Vienna, 4 May 2021. "
        "Photo: John Smith/AFP/Getty Images “We are here to talk,” the host said."
    )  # the apostrophe of "leaders’" closes no quotation: only the caption sentence goes
    assert clean(raw).text == "The summit opened on Monday. “We are here to talk,” the host said."


def test_a_caption_with_a_credit_in_brackets_is_removed_with_its_quotation() -> None:
    raw = (
        "The shelter opened in May.\n\n"
        "Asked what he would tell the mayor, Dan Roy says: 'Just listen. Listen to us.' (Jane Doe/CBC).\n\n"
        "The retail trade is a good place to start. The sector hired 2,000 people last year. "
        "( John Smith / Star File Photo ).\n\nMore sites will open. A porter helps a guest aboard "
        "a train in 1972. ( Toronto Star file photo )"
    )
    assert clean(raw).text == (
        "The shelter opened in May.\n\nThe retail trade is a good place to start.\n\nMore sites will open."
    )


def test_paragraph_in_another_language_is_removed() -> None:
    body = (
        "The bishop thanked the volunteers for their work during the winter.\n\n"
        "He said that the shelter had been full on most nights and that more beds were needed."
    )
    raw = body + "\n\n“La pace è il nostro compito per il futuro della terra!” - da una lettera del vescovo"
    cleaned = clean(raw)
    assert cleaned.language == "en"
    assert cleaned.text == body


def test_unicode_is_normalised_without_touching_quote_marks() -> None:
    raw = "Cafe\u0301 owners\u00a0said \u201cbusiness is slow\u201d and 'quiet'.\u200b"
    assert clean(raw).text == "Café owners said \u201cbusiness is slow\u201d and 'quiet'."


def test_a_double_mark_typed_as_two_single_marks_becomes_one() -> None:
    raw = "“We print locally,’’ says the founder. ``It works,'' she added. He said ‘’No way.”"
    assert clean(raw).text == "“We print locally,” says the founder. “It works,” she added. He said “No way.”"


def test_article_in_an_unsupported_language_is_recognised() -> None:
    raw = (
        "Le gouvernement a annoncé mardi une nouvelle réforme des retraites qui sera présentée au parlement."
    )
    assert clean(raw).language == "fr"


def test_control_characters_are_removed() -> None:
    # text copied out of a PDF: NUL bytes, a form feed between pages, an escape; a C1 control is a
    # Windows-1252 character read as Latin-1 (mended: "\x85" was "…")
    raw = "The mayor\x00 said the plan\x1b would cost more.\x0cThe council\x85 voted against it."
    raw += "\r\nIt\tended."
    cleaned = clean(raw).text
    assert cleaned == "The mayor said the plan would cost more. The council… voted against it.\n\nIt ended."
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in cleaned)


def test_no_control_character_survives_cleaning() -> None:
    controls = "".join(chr(c) for c in range(0xA0) if unicodedata.category(chr(c)) == "Cc")
    cleaned = clean(f"The minister said{controls} the budget would rise by ten per cent next year.").text
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in cleaned)  # paragraphs stay
    assert cleaned.startswith("The minister said") and cleaned.endswith(
        "the budget would rise by ten per cent next year."
    )


def test_mojibake_is_mended() -> None:
    raw = "“We will hold the line,” President Fran\u00c3\u00a7ois Morel said on a visit to "
    raw += "Pe\u00c3\u00b1a\u00e2\u20ac\u2122s town."
    assert (
        clean(raw).text == "“We will hold the line,” President François Morel said on a visit to Peña’s town."
    )
