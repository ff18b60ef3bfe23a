"""Read the State Council's yearly holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知) into a calendar.

What is read: each holiday line, numbered (`一、`) or starting with a holiday's name, as `<holiday(s)>：<sentences>`.
A sentence is split at `，`; each part is one of
- dates or ranges followed by 放假 / 放假调休 / 休息 / 补休 — days off, named after the line's holiday;
- dates followed by 上班 — make-up working days (调休上班);
- `共N天` (or `放假N天`) — checked against the days off the sentence lists;
- `与周末连休`, `与中秋节连休`, `不调休` … — nothing to add.
A sentence starting with 鼓励 (advice to employers, e.g. to give 除夕 off) changes nothing.
A date is `[YYYY年][M月]D日`, optionally followed by a bracketed note (`（周四）`, `（农历腊月二十八、周日）`) whose
weekday, when given, must be the date's. A day without a month takes the month (and year) of the date before it in
the line (`1月1日至3日`); a date without a year is in the notice's year. Ranges may cross months and years.
Full-width and half-width punctuation, digits and spaces are equal. Other lines (preamble, closing) are ignored.
Anything else in a holiday line — an unknown holiday, an unreadable part, an impossible date, a wrong weekday, a
count that disagrees, a day both off and working — is a `ValidationError` naming the line; nothing is returned.

The result covers every day of the year: listed holidays off, listed make-up days working, every other day
Monday–Friday working and weekends off; plus the listed days that fall in a neighbouring year.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from supply_service.core.seed import HOLIDAY_NAMES, MAKE_UP_DAY

NEW_YEAR, SPRING, TOMB, LABOUR, DRAGON, NATIONAL, MID_AUTUMN = HOLIDAY_NAMES[:7]

# Chinese names (and their usual short forms) → the English names the calendar stores (translated when shown).
NAMES = {
    "元旦": NEW_YEAR, "新年": NEW_YEAR, "春节": SPRING, "清明节": TOMB, "清明": TOMB, "劳动节": LABOUR,
    "五一劳动节": LABOUR, "国际劳动节": LABOUR, "五一国际劳动节": LABOUR, "端午节": DRAGON, "端午": DRAGON,
    "中秋节": MID_AUTUMN, "中秋": MID_AUTUMN, "国庆节": NATIONAL, "国庆": NATIONAL,
}
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

_TITLE_YEAR = re.compile(r"关于(\d{4})年(?:部分)?节假日")
_ITEM_START = re.compile(r"(?<=。)(?=[一二三四五六七八九十]{1,3}、)")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[、.])")
_HEAD = re.compile(r"^(?P<names>[^:]{1,30}?):(?P<body>.*)$")
_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日(?:\((?P<{p}n>[^()]*)\))?"
_RANGE = re.compile(_DATE.format(p="a") + r"(?:(?:至|到|~|-|—|–)" + _DATE.format(p="b") + ")?")
_COUNT = re.compile(r"共?([0-9一二三四五六七八九十]{1,3})天")
_NOISE = re.compile(r"放假调休|放假|不调休|调休|补休|休息|休假|上班|与[^,]{0,8}连休|[、和及均]")
_ADVICE = "鼓励"  # 鼓励各单位……安排职工在除夕休息: advice to employers, not a day off
_WEEKDAY_NOTE = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")


class NoticeError(ValidationError):
    """A notice that cannot be read; `line` is the 1-based line number (0 for the notice as a whole)."""

    def __init__(self, message: str, *, line: int = 0):
        super().__init__(message, code="holiday_notice")
        self.line = line


@dataclass(frozen=True)
class NoticeDay:
    day: date
    is_working_day: bool
    name: str
    """English name of the holiday, MAKE_UP_DAY, or "" for an ordinary day."""
    alternatives: tuple[str, ...] = ()
    """All holidays of the line that gave the day (`中秋节、国庆节` gives two): a stored name among them is kept."""


@dataclass
class HolidayNotice:
    year: int
    days: dict[date, NoticeDay] = field(default_factory=dict)

    @property
    def holidays(self) -> dict[date, str]:
        return {d: v.name for d, v in self.days.items() if not v.is_working_day and v.name}

    @property
    def make_up_days(self) -> set[date]:
        return {d for d, v in self.days.items() if v.is_working_day and v.name == MAKE_UP_DAY}


class _LineError(Exception):
    pass


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("“", "").replace("”", "").replace('"', "")


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    tens, _sep, units = text.partition("十")
    if _sep:
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return _CN_DIGITS.get(text, 0)


def _names(head: str) -> tuple[str, ...]:
    found = []
    for token in re.split(r"[、和及与,]", head):
        if token not in NAMES:
            raise _LineError(_("unknown holiday “%(name)s”") % {"name": token})
        found.append(NAMES[token])
    return tuple(found)


def _name_for(day: date, names: tuple[str, ...]) -> str:
    """One name per day; a line naming Mid-autumn and National Day gives October's days to National Day."""
    if len(names) > 1 and NATIONAL in names and MID_AUTUMN in names:
        return NATIONAL if day.month == 10 else MID_AUTUMN
    return names[0]


class _DateReader:
    """Reads the dates of one line, carrying the month (and year) from one date to the next."""

    def __init__(self, year: int):
        self.year = year
        self.previous: date | None = None

    def one(self, match: re.Match, p: str) -> date:
        y, m, d, note = (match.group(p + k) for k in "ymdn")
        if m is None and self.previous is None:
            raise _LineError(_("“%(text)s” has no month") % {"text": match.group(0)})
        year = int(y) if y else (self.previous.year if m is None else self.year)
        month = int(m) if m else self.previous.month
        try:
            day = date(year, month, int(d))
        except ValueError as exc:
            raise _LineError(_("%(text)s is not a date") % {"text": match.group(0)}) from exc
        if abs(day.year - self.year) > 1:
            raise _LineError(_("%(date)s is not in %(year)s or next to it") % {"date": day, "year": self.year})
        weekday = _WEEKDAY_NOTE.search(note or "")
        if weekday and _WEEKDAYS[weekday.group(1)] != day.weekday():
            raise _LineError(_("the notice gives the weekday of %(date)s wrongly (%(note)s)")
                             % {"date": day, "note": note})
        self.previous = day
        return day

    def dates(self, part: str) -> list[date]:
        found = []
        for match in _RANGE.finditer(part):
            first = self.one(match, "a")
            last = self.one(match, "b") if match.group("bd") else first
            if last < first:
                raise _LineError(_("the range “%(text)s” ends before it starts") % {"text": match.group(0)})
            found += [first + timedelta(days=n) for n in range((last - first).days + 1)]
        return found


def _read_part(part: str, reader: _DateReader) -> tuple[str, list[date], int | None]:
    """(kind, dates, stated count) of one comma-separated part; kind is "off", "work" or ""."""
    dates = reader.dates(part)
    count = _COUNT.search(part)
    rest = _NOISE.sub("", _COUNT.sub("", _RANGE.sub("", part)))
    if rest:
        raise _LineError(_("cannot read “%(text)s”") % {"text": part})
    if "上班" in part:
        kind = "work"
    elif re.search(r"放假|补休|休息|休假", part):
        kind = "off"
    else:
        kind = ""
    if dates and not kind:
        raise _LineError(_("“%(text)s” says neither 放假 nor 上班") % {"text": part})
    if kind and not dates:
        raise _LineError(_("“%(text)s” gives no date") % {"text": part})
    return kind, dates, _number(count.group(1)) if count else None


def _read_item(text: str, year: int) -> tuple[tuple[str, ...], list[date], list[date]]:
    """The holidays named by one line, its days off and its make-up working days."""
    head = _HEAD.match(_NUMBERED.sub("", text))
    if head is None:
        raise _LineError(_("expected “holiday：dates”"))
    names = _names(head.group("names"))
    reader, off, work = _DateReader(year), [], []
    for sentence in re.split(r"[。;]", head.group("body")):
        if sentence.startswith(_ADVICE):
            continue
        sentence_off, stated = [], None
        for part in filter(None, sentence.split(",")):
            kind, dates, count = _read_part(part, reader)
            stated = count if count is not None else stated
            (sentence_off if kind == "off" else work).extend(dates)
        if stated is not None and stated != len(set(sentence_off)):
            raise _LineError(ngettext("says %(stated)s day but its dates give %(counted)s",
                                     "says %(stated)s days but its dates give %(counted)s", stated)
                             % {"stated": stated, "counted": len(set(sentence_off))})
        off += sentence_off
    if not off:
        raise _LineError(_("gives no day off"))
    return names, off, work


def _is_holiday_line(text: str) -> bool:
    if re.match(r"[一二三四五六七八九十]{1,3}、", text):
        return True
    head = _HEAD.match(_NUMBERED.sub("", text))
    return bool(head) and all(t in NAMES for t in re.split(r"[、和及与]", head.group("names")))


def notice_year(text: str) -> int | None:
    """The year in the notice's title (关于2027年部分节假日安排的通知), if any."""
    found = _TITLE_YEAR.search(_normalise(text))
    return int(found.group(1)) if found else None


def _year_of(text: str, year: int | None) -> int:
    titled = notice_year(text)
    if year is None and titled is None:
        raise NoticeError(_("The notice names no year: give the year it is for."))
    if year is not None and titled is not None and year != titled:
        raise NoticeError(_("The notice is for %(found)s, not %(year)s.") % {"found": titled, "year": year})
    return year if year is not None else titled


def _base_year(year: int) -> dict[date, NoticeDay]:
    days, day = {}, date(year, 1, 1)
    while day.year == year:
        days[day] = NoticeDay(day, day.weekday() < 5, "")
        day += timedelta(days=1)
    return days


def holiday_notice_parse(*, text: str, year: int | None = None) -> HolidayNotice:
    """The year the notice describes, every day of it (see the module's docstring). Raises `NoticeError`."""
    year = _year_of(text, year)
    notice = HolidayNotice(year=year, days=_base_year(year))
    listed: dict[date, int] = {}
    items = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        for item in _ITEM_START.split(_normalise(raw)):
            if not item or not _is_holiday_line(item):
                continue
            items += 1
            try:
                _apply_item(notice, item, listed, number)
            except _LineError as exc:
                shown = raw.strip()
                shown = shown if len(shown) <= 80 else shown[:79] + "…"
                raise NoticeError(_("Line %(number)s “%(text)s”: %(problem)s")
                                  % {"number": number, "text": shown, "problem": exc.args[0]}, line=number) from exc
    if not items:
        raise NoticeError(_("The text has no holiday line (such as “一、元旦：1月1日放假。”)."))
    return notice


def _apply_item(notice: HolidayNotice, item: str, listed: dict[date, int], number: int) -> None:
    names, off, work = _read_item(item, notice.year)
    for day in off + work:
        if day in listed and (listed[day] != number or (day in off and day in work)):
            raise _LineError(_("%(date)s is listed twice") % {"date": day})
    for day in work:
        if day.weekday() < 5:
            raise _LineError(_("%(date)s is a weekday: it cannot be a make-up working day") % {"date": day})
    for day in off:
        listed[day] = number
        notice.days[day] = NoticeDay(day, False, _name_for(day, names), names)
    for day in work:
        listed[day] = number
        notice.days[day] = NoticeDay(day, True, MAKE_UP_DAY, names)
