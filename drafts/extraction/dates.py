"""When something was said: the date words of an attribution, resolved against the day the
article was published (dateparser, with the publication as its relative base)."""

import datetime
import re
from dataclasses import dataclass

import dateparser

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)"
DATE_EXPRESSION = re.compile(
    rf"\b(?:"
    rf"(?P<absolute>{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?)"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<weekday>(?:last\s+|this\s+past\s+|on\s+)?(?:{'|'.join(WEEKDAYS)}))"
    rf"|(?P<relative_day>yesterday|today|tonight|this morning|this afternoon|this evening|last night)"
    rf"|(?P<ago>{_NUMBER}\s+(?:days?|weeks?|months?)\s+ago)"
    rf"|(?P<week>last week|this week|earlier this week|earlier in the week|the previous week|"
    rf"late last week|early last week)"
    rf"|(?P<month>earlier this month|this month|last month|earlier in the month|late last month|"
    rf"early last month|in (?:{_MONTH})(?:\s+\d{{4}})?)"
    rf")\b",
    re.I,
)
UNKNOWN = re.compile(
    r"\b(?:previously|earlier|in the past|once|had (?:said|told|written)|at the time|"
    r"that (?:day|week|month|year)|(?:has|have) (?:repeatedly|long|often|always) \w+)\b",
    re.I,
)
# "at Monday's ceremony": the occasion of the saying, so its day is the statement's.
OCCASION = re.compile(
    r"\s+(?:\w+\s+)?(?:ceremony|meeting|briefing|news conference|press conference|conference|session|rally|"
    r"speech|hearing|interview|statement|summit|address|debate|broadcast)\b",
    re.I,
)
_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
}


_NOUN_AFTER = re.compile(
    r"\s+(?!(?:night|morning|afternoon|evening|that|when|after|before|with|while|about|from|into)\b)[a-z]{4,}"
)


_MONTHS = re.compile(rf"{_MONTH}$", re.I)


def is_month(word: str) -> bool:
    return bool(_MONTHS.match(word))


@dataclass(frozen=True)
class StatedOn:
    date: datetime.date | None
    precision: str  # day, week or month; "unknown" with no date
    expression: str


def resolve(expression: str, kind: str, published: datetime.date) -> StatedOn | None:
    lowered = " ".join(expression.lower().split())
    base = datetime.datetime.combine(published, datetime.time(12))
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if kind == "weekday":
        day = WEEKDAYS.index(lowered.split()[-1])
        back = (published.weekday() - day) % 7
        if lowered.startswith("last ") and back == 0:
            back = 7
        return StatedOn(published - datetime.timedelta(days=back), "day", expression)
    if kind == "relative_day":
        back = 1 if lowered in {"yesterday", "last night"} else 0
        return StatedOn(published - datetime.timedelta(days=back), "day", expression)
    if kind == "week":
        this_week = published - datetime.timedelta(days=published.weekday())
        monday = (
            this_week
            if "this week" in lowered or "in the week" in lowered
            else this_week - datetime.timedelta(days=7)
        )
        return StatedOn(monday, "week", expression)
    if kind == "month":
        if lowered.startswith("in "):
            parsed = dateparser.parse(lowered[3:], settings=settings | {"PREFER_DAY_OF_MONTH": "first"})
            return StatedOn(parsed.date().replace(day=1), "month", expression) if parsed else None
        first = published.replace(day=1)
        if "last month" in lowered:
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        return StatedOn(first, "month", expression)
    if kind == "ago":
        number, unit = lowered.split()[:2]
        count = _NUMBERS.get(number) or int(number)
        if unit.startswith("day"):
            return StatedOn(published - datetime.timedelta(days=count), "day", expression)
        if unit.startswith("week"):
            return StatedOn(published - datetime.timedelta(weeks=count), "week", expression)
        parsed = dateparser.parse(lowered, settings=settings)
        return StatedOn(parsed.date().replace(day=1), "month", expression) if parsed else None
    parsed = dateparser.parse(expression, languages=["en"], settings=settings)
    if parsed is None:
        return None
    return StatedOn(parsed.date(), "day", expression)


def stated_on(clause: str, published: datetime.date) -> StatedOn | None:
    """The first date expression of an attribution clause, resolved; None when it has none."""
    for match in DATE_EXPRESSION.finditer(clause):
        kind = match.lastgroup
        if re.match(r"[’']s\b", clause[match.end() : match.end() + 3]) and not OCCASION.match(
            clause, match.end() + 2
        ):
            continue  # "Sunday's election": the day of what is reported, not of the saying
        if (
            kind == "weekday"
            and " " not in match.group(kind).strip()
            and _NOUN_AFTER.match(clause, match.end())
        ):
            continue  # "Friday prayers", "Sunday school": a name, not a day
        found = resolve(match.group(kind), kind, published)
        if found is not None and found.date <= published + datetime.timedelta(days=1):
            return found
    if UNKNOWN.search(clause):
        return StatedOn(None, "unknown", UNKNOWN.search(clause).group())
    return None


def published_day(published: datetime.date) -> StatedOn:
    return StatedOn(published, "day", "")
