"""The article reader on short snippets: quotes, reported speech, speakers, dates, channels,
stances, plus the language and HTML helpers. Every snippet is invented for these tests; the
expected values follow the gold conventions in eval/drafts/README.md."""

import datetime

from drafts.extraction.html import article_from_html
from drafts.extraction.language import language_of
from drafts.extraction.reader import read_article

PUBLISHED = datetime.date(2024, 3, 13)  # a Wednesday
MONDAY = datetime.date(2024, 3, 11)
TUESDAY = datetime.date(2024, 3, 12)


def read(text, *, published=PUBLISHED, publisher=""):
    return read_article(text, published=published, publisher=publisher)


def summary(reading):
    return [
        (
            "direct" if s.is_direct_quote else "reported",
            s.text,
            s.speaker.name if s.speaker else None,
            s.stated_on.date if s.stated_on else None,
        )
        for s in reading.statements
    ]


def directs(reading):
    return [s for s in reading.statements if s.is_direct_quote]


def reporteds(reading):
    return [s for s in reading.statements if not s.is_direct_quote]


def one(statements, reading):
    assert len(statements) == 1, summary(reading)
    return statements[0]


def speaker_name(statement):
    return statement.speaker.name if statement.speaker is not None else None


# -- quotes ----------------------------------------------------------------------------------


def test_curly_quote_drops_trailing_comma():
    text = "“We will rebuild,” the mayor said."
    reading = read(text)
    quote = one(directs(reading), reading)
    assert quote.text == "We will rebuild"
    assert text[quote.start : quote.end] == "We will rebuild"


def test_straight_quote_with_named_speaker():
    text = '"The water is safe to drink," Petra Lind said.'
    reading = read(text)
    quote = one(directs(reading), reading)
    assert quote.text == "The water is safe to drink"
    assert speaker_name(quote) == "Petra Lind"
    assert text[quote.start : quote.end] == "The water is safe to drink"


def test_final_period_inside_marks_is_kept():
    text = "Jonas Brek said: “The vote will happen in June.”"
    reading = read(text)
    quote = one(directs(reading), reading)
    assert quote.text == "The vote will happen in June."
    assert speaker_name(quote) == "Jonas Brek"


def test_nested_single_quotes_stay_as_written():
    text = "“They told us ‘wait until spring’ and we waited,” said Ole Brandt."
    reading = read(text)
    quote = one(directs(reading), reading)
    assert quote.text == "They told us ‘wait until spring’ and we waited"
    assert speaker_name(quote) == "Ole Brandt"


def test_split_quote_gives_two_statements_with_one_speaker():
    text = "“We did everything we could,” Nadia Orlov said, “and we will keep trying.”"
    reading = read(text)
    quotes = directs(reading)
    assert [q.text for q in quotes] == ["We did everything we could", "and we will keep trying."]
    assert quotes[0].speaker is not None
    assert quotes[0].speaker is quotes[1].speaker
    assert quotes[0].speaker.name == "Nadia Orlov"
    for quote in quotes:
        assert text[quote.start : quote.end].rstrip(",") == quote.text


def test_multi_paragraph_quote_is_one_statement():
    text = (
        "Visiting coach Arne Falk said: “We started slowly and paid for it.\n\n"
        "“In the second half we were a different team.”"
    )
    reading = read(text)
    quote = one(directs(reading), reading)
    assert quote.text == "We started slowly and paid for it. In the second half we were a different team."
    assert speaker_name(quote) == "Arne Falk"
    assert "We started slowly" in text[quote.start : quote.end]
    assert "a different team." in text[quote.start : quote.end]


def test_partial_quote_gives_direct_and_reported_statements():
    text = "Health Minister Lena Sorg said the new clinic was “a turning point” for the region."
    reading = read(text)
    quote = one(directs(reading), reading)
    assert quote.text == "a turning point"
    assert speaker_name(quote) == "Lena Sorg"
    assert text[quote.start : quote.end] == "a turning point"
    report = one(reporteds(reading), reading)
    assert report.text == "Health Minister Lena Sorg said the new clinic was “a turning point” for the region"
    assert speaker_name(report) == "Lena Sorg"


def test_embedded_post_is_a_dated_direct_statement():
    text = (
        "The festival's founder answered critics online.\n\n"
        "The line-up is complete and tickets go on sale Friday — Oskar Vell (@oskarvell) March 11, 2024"
    )
    reading = read(text)
    post = one(directs(reading), reading)
    assert post.text == "The line-up is complete and tickets go on sale Friday"
    assert speaker_name(post) == "Oskar Vell"
    assert post.stated_on.date == MONDAY
    assert post.channel == "twitter"
    assert text[post.start : post.end] == "The line-up is complete and tickets go on sale Friday"


def test_so_called_name_is_not_a_statement():
    reading = read("The council has cleared the so-called “green corridor” along the river.")
    assert reading.statements == []


def test_scare_quotes_are_not_a_statement():
    reading = read("The bakery's “temporary” closure has now lasted two years.")
    assert reading.statements == []


def test_operation_name_is_not_a_statement():
    reading = read("The army began Operation “Northern Shield” at dawn near the lake.")
    assert reading.statements == []


def test_title_case_film_title_is_not_a_statement():
    reading = read("The film “Silent River” opens in Brno next month after a long delay.")
    assert reading.statements == []


# -- reported speech -------------------------------------------------------------------------


def test_said_that_gives_reported_statement():
    text = "Police chief Marta Kovac said that two suspects had been detained overnight."
    reading = read(text)
    report = one(reporteds(reading), reading)
    assert report.is_direct_quote is False
    assert report.text == "Police chief Marta Kovac said that two suspects had been detained overnight"
    assert speaker_name(report) == "Marta Kovac"
    assert text[report.start : report.end] == report.text
    assert directs(reading) == []


def test_denied_gives_reported_statement_by_organisation():
    reading = read("The Harbour Authority denied that any fuel had leaked into the bay.")
    report = one(reporteds(reading), reading)
    assert report.text == "The Harbour Authority denied that any fuel had leaked into the bay"
    assert speaker_name(report) == "Harbour Authority"
    assert report.speaker.kind == "organization"


def test_announced_gives_reported_statement():
    reading = read("Northwind Airlines announced that it would open a route to Tallinn in May.")
    report = one(reporteds(reading), reading)
    assert report.text == "Northwind Airlines announced that it would open a route to Tallinn in May"
    assert speaker_name(report) == "Northwind Airlines"


def test_according_to_gives_reported_statement():
    reading = read("The bridge will stay closed until Friday, according to the Roads Agency.")
    report = one(reporteds(reading), reading)
    assert report.text == "The bridge will stay closed until Friday, according to the Roads Agency"
    assert speaker_name(report) == "Roads Agency"


def test_quote_with_dated_tail_gives_no_reported_statement():
    text = (
        "Interior Minister Tomas Berg met the delegation.\n\n“The talks were useful,” Berg said on Tuesday."
    )
    reading = read(text)
    quote = one(directs(reading), reading)
    assert quote.text == "The talks were useful"
    assert speaker_name(quote) == "Tomas Berg"
    assert reporteds(reading) == []


def test_negated_cue_gives_no_statement():
    reading = read("Riverton FC has not announced a new coach for the coming season.")
    assert reading.statements == []


# -- speakers --------------------------------------------------------------------------------


def test_full_name_then_surname_is_one_speaker():
    text = (
        "“We need more buses,” said Karin Holm, a city councillor.\n\n"
        "“The night routes are the priority,” Holm said."
    )
    reading = read(text)
    first, second = directs(reading)
    assert first.speaker is second.speaker
    assert first.speaker.name == "Karin Holm"
    assert "Holm" in first.speaker.aliases


def test_title_before_name_is_not_part_of_the_name():
    reading = read("“The border will stay open,” Interior Minister Tomas Berg said.")
    quote = one(directs(reading), reading)
    assert speaker_name(quote) == "Tomas Berg"
    assert "interior minister" in quote.speaker.roles


def test_apposition_gives_role_and_affiliation():
    reading = read("Amira Haddad, a spokeswoman for the Red Crescent, said the convoy had reached the town.")
    report = one(reporteds(reading), reading)
    assert speaker_name(report) == "Amira Haddad"
    assert report.speaker.kind == "person"
    assert "spokeswoman" in report.speaker.roles
    assert report.speaker.affiliation is not None
    assert report.speaker.affiliation.name == "Red Crescent"


def test_inverted_attribution_with_apposition():
    reading = read("“Nobody has been paid since January,” said Maria Lopez, the club's spokeswoman.")
    quote = one(directs(reading), reading)
    assert quote.text == "Nobody has been paid since January"
    assert speaker_name(quote) == "Maria Lopez"
    assert reporteds(reading) == []


def test_pronoun_resolves_to_last_person_speaking():
    text = (
        "Mayor Ilse Varga toured the site with fire chief Paul Renner.\n\n"
        "Renner said the blaze started in a kitchen. “It spread very quickly,” he said."
    )
    reading = read(text)
    quote = one(directs(reading), reading)
    assert quote.text == "It spread very quickly"
    assert speaker_name(quote) == "Paul Renner"


def test_role_later_resolves_to_person_introduced_with_it():
    text = (
        "Jonas Eklund, a spokesman for the Port Authority, said ships were waiting offshore.\n\n"
        "“The queue will clear by the weekend,” the spokesman said."
    )
    reading = read(text)
    quote = one(directs(reading), reading)
    assert speaker_name(quote) == "Jonas Eklund"


def test_the_ministry_resolves_to_named_ministry():
    text = (
        "The Interior Ministry said the curfew would be lifted.\n\n"
        "The ministry said the decision followed a drop in violence."
    )
    reading = read(text)
    first, second = reporteds(reading)
    assert speaker_name(first) == "Interior Ministry"
    assert second.speaker is first.speaker
    assert second.text == "The ministry said the decision followed a drop in violence"


def test_acronym_in_brackets_becomes_alias():
    text = (
        "The National Water Agency (NWA) said reservoirs were half full.\n\n"
        "The NWA added that rationing was not planned."
    )
    reading = read(text)
    first, second = reporteds(reading)
    assert speaker_name(first) == "National Water Agency"
    assert "NWA" in first.speaker.aliases
    assert second.speaker is first.speaker


def test_lead_in_colon_gives_speaker_to_next_paragraph_quote():
    text = "Director Hanna Lund wrote to students:\n\n“Classes will resume in the main building.”"
    reading = read(text)
    quote = one(reading.statements, reading)
    assert quote.is_direct_quote
    assert quote.text == "Classes will resume in the main building."
    assert speaker_name(quote) == "Hanna Lund"


def test_academic_title_rector_is_not_part_of_the_name():
    reading = read("“Classes will resume in the main building,” Rector Hanna Lund said.")
    quote = one(directs(reading), reading)
    assert speaker_name(quote) == "Hanna Lund"


def test_dateline_is_never_a_speaker():
    text = (
        "KYIV, March 13 (Example Wire) – Energy Minister Olena Dovzhenko said that power "
        "had been restored to 40,000 homes."
    )
    reading = read(text)
    report = one(reporteds(reading), reading)
    assert speaker_name(report) == "Olena Dovzhenko"
    assert report.text.startswith("Energy Minister Olena Dovzhenko said")
    names = {entity.name for entity in reading.registry.entities}
    assert not names & {"KYIV", "Kyiv", "Example Wire"}


def test_dateline_before_quote_is_not_speaker():
    text = "OSLOVIK, March 13 (Example Wire) – “We are ready for the floods,” the mayor said."
    reading = read(text)
    quote = one(directs(reading), reading)
    assert quote.text == "We are ready for the floods"
    assert speaker_name(quote) not in {"OSLOVIK", "Example Wire"}


def test_publisher_could_not_verify_is_its_own_statement():
    text = (
        "The rebels said they had captured the airport. "
        "Example Wire could not independently verify the claim."
    )
    reading = read(text, publisher="Example Wire")
    voice = one([s for s in reading.statements if speaker_name(s) == "Example Wire"], reading)
    assert voice.is_direct_quote
    assert voice.text.startswith("Example Wire could not independently verify the claim")
    assert voice.stated_on.date == PUBLISHED


# -- dates -----------------------------------------------------------------------------------


def test_on_monday_is_the_monday_before_publication():
    reading = read("Mayor Ilse Varga said on Monday that the budget would be cut.")
    report = one(reporteds(reading), reading)
    assert report.stated_on.date == MONDAY
    assert report.stated_on.precision == "day"


def test_publication_weekday_is_the_publication_day():
    reading = read("Mayor Ilse Varga said on Wednesday that the budget would be cut.")
    report = one(reporteds(reading), reading)
    assert report.stated_on.date == PUBLISHED
    assert report.stated_on.precision == "day"


def test_yesterday_is_the_day_before():
    reading = read("“We expect heavy rain,” forecaster Lars Dahl said yesterday.")
    quote = one(directs(reading), reading)
    assert quote.stated_on.date == TUESDAY
    assert quote.stated_on.precision == "day"


def test_last_week_has_week_precision():
    reading = read("Finance Minister Eva Brandt said last week that taxes would not rise.")
    report = one(reporteds(reading), reading)
    assert report.stated_on.precision == "week"
    assert datetime.date(2024, 3, 4) <= report.stated_on.date <= datetime.date(2024, 3, 10)


def test_earlier_this_month_has_month_precision():
    reading = read("Finance Minister Eva Brandt said earlier this month that taxes would not rise.")
    report = one(reporteds(reading), reading)
    assert report.stated_on.precision == "month"
    assert (report.stated_on.date.year, report.stated_on.date.month) == (2024, 3)


def test_abbreviated_month_date_takes_publication_year():
    published = datetime.date(2024, 11, 20)
    reading = read("Judge Anton Meier said on Nov. 6 that the trial would resume.", published=published)
    report = one(reporteds(reading), reading)
    assert report.stated_on.date == datetime.date(2024, 11, 6)
    assert speaker_name(report) == "Anton Meier"


def test_day_month_date_takes_publication_year():
    published = datetime.date(2024, 11, 20)
    reading = read("Judge Anton Meier said on 6 November that the trial would resume.", published=published)
    report = one(reporteds(reading), reading)
    assert report.stated_on.date == datetime.date(2024, 11, 6)


def test_previously_has_no_date():
    reading = read("Previously, Interior Minister Tomas Berg said the border would stay closed.")
    report = one(reporteds(reading), reading)
    assert report.stated_on.date is None
    assert report.stated_on.precision == "unknown"


def test_no_date_takes_publication_date():
    reading = read("Interior Minister Tomas Berg said the border would stay closed.")
    report = one(reporteds(reading), reading)
    assert report.stated_on.date == PUBLISHED
    assert report.stated_on.precision == "day"


def test_day_of_reported_event_is_not_statement_date():
    reading = read("Police spokesman Ivo Marin said the attack happened on Sunday.")
    report = one(reporteds(reading), reading)
    assert speaker_name(report) == "Ivo Marin"
    assert report.stated_on.date == PUBLISHED


def test_possessive_day_is_not_statement_date():
    reading = read("Party leader Rita Voss said Sunday's election had been fair.")
    report = one(reporteds(reading), reading)
    assert report.stated_on.date == PUBLISHED


def test_he_added_keeps_date_of_earlier_statement():
    text = (
        "“We will appeal,” lawyer Dana Petrov said on Monday.\n\n"
        "“The ruling ignores the evidence,” she added."
    )
    reading = read(text)
    first, second = directs(reading)
    assert first.stated_on.date == MONDAY
    assert second.text == "The ruling ignores the evidence"
    assert speaker_name(second) == "Dana Petrov"
    assert second.stated_on.date == MONDAY


def test_second_half_of_split_quote_keeps_date():
    reading = read("“We lost the vote,” Tomas Berg said on Monday, “but not the argument.”")
    first, second = directs(reading)
    assert (first.stated_on.date, second.stated_on.date) == (MONDAY, MONDAY)


# -- channels --------------------------------------------------------------------------------


def test_channel_twitter():
    reading = read("Mayor Ilse Varga said on Twitter that the parade was cancelled.")
    assert one(reporteds(reading), reading).channel == "twitter"


def test_channel_telephone():
    reading = read("Ole Brandt said by telephone that the road to the farm was flooded.")
    assert one(reporteds(reading), reading).channel == "telephone"


def test_channel_statement():
    reading = read("The Port Authority said in a statement that the terminal had reopened.")
    report = one(reporteds(reading), reading)
    assert report.channel == "statement"
    assert speaker_name(report) == "Port Authority"


def test_told_outlet_is_channel_not_speaker():
    reading = read("Ole Brandt told Reuters the harvest had failed.")
    report = one(reporteds(reading), reading)
    assert report.channel == "told Reuters"
    assert speaker_name(report) == "Ole Brandt"


def test_channel_state_television():
    reading = read("President Aron Valk said on state television that elections would be held in June.")
    report = one(reporteds(reading), reading)
    assert report.channel == "state television"
    assert speaker_name(report) == "Aron Valk"


# -- stance ----------------------------------------------------------------------------------


def test_denied_refutes():
    reading = read("Defence Minister Karl Odin denied that troops had crossed the border.")
    report = one(reporteds(reading), reading)
    assert report.stance == "refutes"
    assert speaker_name(report) == "Karl Odin"


def test_announced_supports():
    reading = read("Northwind Airlines announced a new route to Tallinn.")
    assert one(reporteds(reading), reading).stance == "supports"


def test_confirmed_supports():
    reading = read("Riverton FC confirmed that its captain had signed a new contract.")
    report = one(reporteds(reading), reading)
    assert report.stance == "supports"
    assert speaker_name(report) == "Riverton FC"


def test_claimed_supports():
    reading = read("The Free Hills Front claimed that its fighters had shot down a drone.")
    assert one(reporteds(reading), reading).stance == "supports"


def test_quote_saying_false_refutes():
    reading = read("“The report is false,” said Karl Odin.")
    quote = one(directs(reading), reading)
    assert quote.stance == "refutes"
    assert speaker_name(quote) == "Karl Odin"


def test_neutral_opinion_has_no_stance():
    reading = read("“The new stadium is beautiful,” said Ole Brandt. Brandt said the seats were too small.")
    assert [s.stance for s in reading.statements] == [None, None]


# -- language --------------------------------------------------------------------------------


def test_language_english():
    assert language_of("The mayor said the bridge would reopen next week.", "xx") == "en"


def test_language_french():
    assert language_of("Le maire a déclaré que le pont serait rouvert la semaine prochaine.", "xx") == "fr"


def test_language_spanish():
    assert language_of("El alcalde dijo que el puente volvería a abrir la próxima semana.", "xx") == "es"


def test_language_too_short_gives_default():
    assert language_of("Bonjour monsieur", "en") == "en"


# -- html ------------------------------------------------------------------------------------

PARAGRAPHS = [
    "The harbour in Veldmark reopened on Tuesday after a week of repairs to the main pier.",
    "Port director Lina Ask said the ferries would run on the normal timetable from Thursday.",
    "Fishing boats returned to their moorings in the afternoon, and the fish market opened again.",
]


def test_article_from_html_keeps_article_paragraphs():
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    html = (
        "<html><head><title>Harbour reopens after storm</title></head><body>"
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>'
        '<li><a href="/sport">Sport</a></li></ul></nav>'
        f"<article><h1>Harbour reopens after storm</h1>{body}</article>"
        "<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer>"
        "</body></html>"
    )
    article = article_from_html(html, url="https://news.example.org/harbour")
    assert article is not None
    assert article.text == "\n\n".join(PARAGRAPHS)
    assert article.title == "Harbour reopens after storm"


def test_article_from_html_menu_only_is_none():
    html = (
        "<html><head><title>Example News</title></head><body><nav>"
        '<a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> '
        '<a href="/contact">Contact</a></nav></body></html>'
    )
    assert article_from_html(html, url="https://news.example.org/") is None
