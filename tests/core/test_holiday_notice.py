"""The State Council's holiday notice: parser, diff, apply, command and permission."""

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import chinese_calendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from supply_service.core.models import CalendarDay
from supply_service.core.seed import HOLIDAY_NAMES, MAKE_UP_DAY
from supply_service.core.services import holiday_notice as service
from supply_service.core.services.holiday_notice import holiday_notice_apply, holiday_notice_preview
from supply_service.core.services.holidays import NoticeError, holiday_notice_parse, notice_year

DATA = Path(__file__).parent / "data"

# A 2027 notice written for the tests (the real one was not published when this was written): the weekdays in the
# brackets are 2027's, so the parser accepts it.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
国务院办公厅
2026年11月20日
"""

# Other published notices (gov.cn), for the forms the two fixtures do not have: a range across years, 放假N天，不调休,
# 与周末连休 and a sentence of advice (鼓励……) inside a holiday line.
PUBLISHED = {
    2023: """国务院办公厅关于2023年部分节假日安排的通知
一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。
二、春节：1月21日至27日放假调休，共7天。1月28日（星期六）、1月29日（星期日）上班。
三、清明节：4月5日放假，共1天。
四、劳动节：4月29日至5月3日放假调休，共5天。4月23日（星期日）、5月6日（星期六）上班。
五、端午节：6月22日至24日放假调休，共3天。6月25日（星期日）上班。
六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。""",
    2024: """国务院办公厅关于2024年部分节假日安排的通知
一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。""",
    2025: """国务院办公厅关于2025年部分节假日安排的通知
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。""",
}


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English here (the default language is zh-hans; one test checks it)."""
    with translation.override("en"):
        yield


def test_the_line_is_named_in_the_active_language():
    with translation.override("zh-hans"), pytest.raises(NoticeError) as caught:
        holiday_notice_parse(text="一、植树节：3月12日放假。", year=2027)
    assert caught.value.messages[0] == "第 1 行“一、植树节：3月12日放假。”：未知的节日“植树节”"


def _assert_equals_chinese_calendar(notice, year):
    day = date(year, 1, 1)
    while day.year == year:
        parsed = notice.days[day]
        assert parsed.is_working_day == chinese_calendar.is_workday(day), day
        if not parsed.is_working_day and parsed.name:
            assert parsed.name in HOLIDAY_NAMES
            assert chinese_calendar.get_holiday_detail(day)[1] in parsed.alternatives, day
        if parsed.is_working_day and day.weekday() >= 5:
            assert parsed.name == MAKE_UP_DAY
        day += timedelta(days=1)


@pytest.mark.parametrize("year", [2017, 2026])
def test_the_real_notices_parse_equal_to_chinese_calendar_day_by_day(year):
    text = (DATA / f"holiday_notice_{year}.txt").read_text(encoding="utf-8")
    notice = holiday_notice_parse(text=text)
    assert notice.year == year
    assert {d.year for d in notice.days} == {year}
    _assert_equals_chinese_calendar(notice, year)


def test_the_2026_notice_names_its_days():
    notice = holiday_notice_parse(text=(DATA / "holiday_notice_2026.txt").read_text(encoding="utf-8"))
    assert notice.holidays[date(2026, 2, 15)] == "Spring Festival"
    assert notice.holidays[date(2026, 10, 7)] == "National Day"
    assert notice.holidays[date(2026, 9, 25)] == "Mid-autumn Festival"
    assert notice.make_up_days == {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
                                   date(2026, 9, 20), date(2026, 10, 10)}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_other_published_notices_parse_equal_to_chinese_calendar(year):
    notice = holiday_notice_parse(text=PUBLISHED[year])
    _assert_equals_chinese_calendar(notice, year)


def test_a_range_across_years_writes_the_day_of_the_year_before():
    notice = holiday_notice_parse(text=PUBLISHED[2023])
    assert notice.days[date(2022, 12, 31)].name == "New Year's Day"
    assert not notice.days[date(2022, 12, 31)].is_working_day


def test_full_width_half_width_and_spaces_read_the_same():
    full = ("国务院办公厅关于2026年部分节假日安排的通知\n"
            "一、元旦：１月１日（周四）至３日（周六）放假调休，共３天。１月４日（周日）上班。")
    half = "关于 2026 年部分节假日安排\n一、 元旦: 1 月 1 日 (周四) 至 3 日 (周六) 放假调休, 共 3 天. 1月4日(周日)上班."
    half = half.replace(". ", "。").replace(".", "。")
    assert holiday_notice_parse(text=full).days == holiday_notice_parse(text=half).days


def test_single_days_ranges_across_months_and_joint_holidays():
    text = "一、劳动节：5月1日放假。\n二、国庆节：9月30日至10月7日放假调休，共8天，与中秋节连休。10月10日（周六）上班。"
    notice = holiday_notice_parse(text=text, year=2026)
    assert notice.holidays[date(2026, 5, 1)] == "Labour Day"
    assert notice.holidays[date(2026, 9, 30)] == "National Day"
    assert date(2026, 10, 10) in notice.make_up_days
    assert notice.days[date(2026, 5, 4)].is_working_day  # every other day: Monday–Friday


def test_the_year_comes_from_the_title_or_is_given():
    assert notice_year("国务院办公厅关于2027年部分节假日安排的通知") == 2027
    assert holiday_notice_parse(text="一、元旦：1月1日放假。", year=2027).year == 2027
    with pytest.raises(NoticeError, match="no year"):
        holiday_notice_parse(text="一、元旦：1月1日放假。")
    with pytest.raises(NoticeError, match="2027"):
        holiday_notice_parse(text=NOTICE_2027, year=2028)


@pytest.mark.parametrize("line, problem", [
    ("八、植树节：3月12日放假。", "植树节"),
    ("二、春节：2月30日放假，共1天。", "2月30日"),
    ("一、元旦：1月1日（周一）放假。", "weekday"),
    ("一、元旦：1月1日至3日放假调休，共4天。", "4"),
    ("一、元旦：1日放假。", "month"),
    ("一、元旦：1月1日放假。1月6日（周三）上班。", "weekday"),
    ("一、元旦：1月3日至1月1日放假。", "before"),
    ("一、元旦：1月1日放假，另行通知。", "另行通知"),
    ("一、元旦：1月4日（周一）。", "neither"),
    ("一、元旦 1月1日放假。", "holiday"),
    ("一、元旦：放假。", "date"),
])
def test_a_malformed_line_is_named_with_its_number_and_text(line, problem):
    text = f"国务院办公厅关于2027年部分节假日安排的通知\n\n{line}\n三、清明节：4月5日放假。"
    with pytest.raises(NoticeError) as caught:
        holiday_notice_parse(text=text)
    assert caught.value.line == 3
    message = caught.value.messages[0]
    assert message.startswith("Line 3") and line in message and problem in message


def test_a_day_listed_by_two_lines_is_refused():
    text = "一、元旦：1月1日放假。\n二、春节：1月1日放假。"
    with pytest.raises(NoticeError, match="Line 2.*twice"):
        holiday_notice_parse(text=text, year=2027)


def test_text_without_a_holiday_line_is_refused():
    with pytest.raises(NoticeError, match="no holiday line"):
        holiday_notice_parse(text="国务院办公厅关于2027年部分节假日安排的通知\n节假日期间，各地区要妥善安排。")


# --- diff and apply -------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2017, 2026])
def test_a_real_notice_over_the_seeded_year_changes_nothing(reference_data, year):
    if not CalendarDay.objects.filter(date__year=year).exists():
        from supply_service.core import seed

        seed.seed_calendar(CalendarDay, range(year, year + 1))
    diff = holiday_notice_preview(text=(DATA / f"holiday_notice_{year}.txt").read_text(encoding="utf-8"), by=None)
    assert diff.changes == [] and diff.unchanged == 365


@pytest.mark.django_db
def test_the_diff_of_a_missing_year_lists_its_holidays_and_make_up_days(reference_data, manager):
    diff = holiday_notice_preview(text=NOTICE_2027, by=manager)
    assert len(diff.added) == 365 and diff.changed == []
    notable = {c.day: c for c in diff.notable}
    assert notable[date(2027, 2, 8)].name == "Spring Festival" and not notable[date(2027, 2, 8)].working
    assert notable[date(2027, 2, 20)].name == MAKE_UP_DAY and notable[date(2027, 2, 20)].working
    assert date(2027, 3, 1) not in notable  # an ordinary day is counted, not listed
    # Deadlines see the weekday holidays and the weekend make-up days; the weekend holidays changed nothing.
    assert date(2027, 2, 8) in diff.moved_days and date(2027, 2, 20) in diff.moved_days
    assert date(2027, 2, 6) not in diff.moved_days
    assert CalendarDay.objects.filter(date__year=2027).count() == 0


@pytest.mark.django_db
def test_the_diff_shows_a_stored_day_that_the_notice_changes(reference_data, manager):
    CalendarDay.objects.filter(date=date(2026, 10, 8)).update(is_working_day=False, name="Local holiday")
    diff = holiday_notice_preview(text=(DATA / "holiday_notice_2026.txt").read_text(encoding="utf-8"), by=manager)
    [change] = diff.changes
    assert (change.day, change.was_working, change.was_name, change.working, change.name) == (
        date(2026, 10, 8), False, "Local holiday", True, "")
    assert not change.is_new and change.moves_deadlines


@pytest.mark.django_db
def test_apply_writes_the_year_with_source_and_history(reference_data, manager):
    result = holiday_notice_apply(text=NOTICE_2027, by=manager)
    assert len(result.diff.changes) == 365
    day = CalendarDay.objects.get(date=date(2027, 2, 8))
    assert (day.is_working_day, day.name, day.source) == (False, "Spring Festival", CalendarDay.Source.NOTICE)
    assert CalendarDay.objects.get(date=date(2027, 5, 8)).is_working_day
    record = day.history.get()
    assert record.history_change_reason == "core.calendar_notice" and record.history_user == manager
    again = holiday_notice_apply(text=NOTICE_2027, by=manager)
    assert again.diff.changes == []  # idempotent


@pytest.mark.django_db
def test_apply_changes_a_stored_day_with_history(reference_data, manager):
    CalendarDay.objects.filter(date=date(2026, 10, 8)).update(is_working_day=False, name="Local holiday")
    holiday_notice_apply(text=(DATA / "holiday_notice_2026.txt").read_text(encoding="utf-8"), by=manager)
    day = CalendarDay.objects.get(date=date(2026, 10, 8))
    assert (day.is_working_day, day.name, day.source) == (True, "", CalendarDay.Source.NOTICE)
    assert day.history.first().history_change_reason == "core.calendar_notice"


@pytest.mark.django_db
def test_apply_is_one_transaction(reference_data, manager, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("clock recompute failed")

    monkeypatch.setattr(service, "sla_recompute_apply", fail)
    with pytest.raises(RuntimeError):
        holiday_notice_apply(text=NOTICE_2027, by=manager)
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarDay.history.filter(date__year=2027).exists()


@pytest.mark.django_db
def test_malformed_text_writes_nothing(reference_data, manager):
    bad = NOTICE_2027.replace("6月9日（周三）", "6月31日（周三）")
    before = CalendarDay.history.count()
    with pytest.raises(ValidationError) as caught:
        holiday_notice_apply(text=bad, by=manager)
    assert "Line 8" in caught.value.messages[0] and "6月31日" in caught.value.messages[0]
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert CalendarDay.history.count() == before


@pytest.mark.django_db
def test_apply_refuses_when_the_calendar_changed_since_the_preview(reference_data, manager):
    diff = holiday_notice_preview(text=NOTICE_2027, by=manager)
    CalendarDay.objects.create(date=date(2027, 3, 1), is_working_day=False, name="Local holiday")
    with pytest.raises(ValidationError, match="changed since the preview"):
        holiday_notice_apply(text=NOTICE_2027, by=manager, digest=diff.digest)
    assert CalendarDay.objects.filter(date__year=2027).count() == 1


@pytest.mark.django_db
def test_a_clerk_may_neither_preview_nor_apply(reference_data, clerk, auditor):
    for user in (clerk, auditor):
        with pytest.raises(PermissionDenied):
            holiday_notice_preview(text=NOTICE_2027, by=user)
        with pytest.raises(PermissionDenied):
            holiday_notice_apply(text=NOTICE_2027, by=user)
    assert not CalendarDay.objects.filter(date__year=2027).exists()


# --- the command ----------------------------------------------------------------------------------------------


@pytest.fixture
def notice_file(tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_command_dry_run_prints_the_diff_and_saves_nothing(reference_data, notice_file):
    out = StringIO()
    call_command("import_holiday_notice", str(notice_file), "--dry-run", stdout=out)
    assert "2027-02-08" in out.getvalue() and "Spring Festival" in out.getvalue()
    assert "365 day(s) added" in out.getvalue() and "dry run" in out.getvalue()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


@pytest.mark.django_db
def test_command_imports_as_the_named_manager(reference_data, notice_file, manager):
    out = StringIO()
    call_command("import_holiday_notice", str(notice_file), "--user", "manager", stdout=out)
    assert "saved: 365" in out.getvalue()
    assert CalendarDay.objects.get(date=date(2027, 2, 8)).history.get().history_user == manager


@pytest.mark.django_db
def test_command_without_user_runs_as_the_system(reference_data, notice_file):
    call_command("import_holiday_notice", str(notice_file), stdout=StringIO())
    assert CalendarDay.objects.get(date=date(2027, 2, 8)).history.get().history_user is None


@pytest.mark.django_db
def test_command_refuses_a_clerk_and_malformed_text(reference_data, notice_file, clerk, tmp_path):
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_holiday_notice", str(notice_file), "--user", "clerk", stdout=StringIO())
    bad = tmp_path / "bad.txt"
    bad.write_text(NOTICE_2027.replace("共9天", "共10天"), encoding="utf-8")
    with pytest.raises(CommandError, match="Line 5"):
        call_command("import_holiday_notice", str(bad), stdout=StringIO())
    with pytest.raises(CommandError, match="no such|cannot read"):
        call_command("import_holiday_notice", str(tmp_path / "missing.txt"), stdout=StringIO())
    with pytest.raises(CommandError, match="2027"):
        call_command("import_holiday_notice", str(notice_file), "--year", "2028", stdout=StringIO())
    assert not CalendarDay.objects.filter(date__year=2027).exists()
