"""Checklist templates generated from the standard's IDs (issue 17, step 1)."""

import pytest
from django.core.management import call_command

from supply_service.audits import checklist
from supply_service.audits.models import AnswerType, ChecklistItem, ChecklistTemplate
from supply_service.audits.services import templates_generate
from supply_service.core.requirements import enforced_by, measured_by
from supply_service.core.standard import IDS

pytestmark = pytest.mark.django_db


def test_routine_template_covers_every_id_of_the_standard(reference_data):
    template = ChecklistTemplate.objects.get(kind="routine", is_active=True)
    covered = set(template.items.values_list("requirement", flat=True))
    assert covered == set(IDS)


def test_generation_covers_every_id_neither_enforced_nor_measured(reference_data, settings):
    from pathlib import Path

    base = Path(settings.BASE_DIR)
    enforced, measured = enforced_by(base_dir=base), measured_by()
    uncovered = {i for i in IDS if i not in enforced and i not in measured}
    audited = set(checklist.checklist_requirements())
    assert uncovered <= audited
    template = ChecklistTemplate.objects.get(kind="routine", is_active=True)
    assert uncovered <= set(template.items.values_list("requirement", flat=True))


def test_items_have_questions_in_both_staff_languages_and_an_answer_type(reference_data):
    for item in ChecklistItem.objects.filter(template__is_active=True):
        assert item.question_zh_hans and item.question_en, item.key
        assert item.answer_type in AnswerType.values
        if item.answer_type == AnswerType.SCORE:
            assert 0 < item.pass_score <= item.max_score
        if item.answer_type == AnswerType.NUMBER:
            assert item.target is not None


def test_computed_items_named_by_the_issue_S7_4_S10_3_4_S10_3_1_S5_2_S13_5_S6_5_S12_2(reference_data):
    template = ChecklistTemplate.objects.get(kind="routine", is_active=True)
    computed = set(template.items.filter(answer_type=AnswerType.COMPUTED).values_list("measure_key", flat=True))
    assert {"staff_languages_on_duty", "payment_methods_offered", "bill_history_months",
            "commitment_fulfilment_rate", "callback_rate_all_work", "complaints_answered_in_time",
            "planned_outage_caps", "customer_forums_held"} <= computed
    assert template.items.get(key="languages-on-duty").critical


def test_each_kind_has_its_own_template(reference_data):
    kinds = set(ChecklistTemplate.objects.filter(is_active=True).values_list("kind", flat=True))
    assert kinds == {"routine", "mystery_shopper", "cross_inspection", "self_inspection"}
    shopper = ChecklistTemplate.objects.get(kind="mystery_shopper", is_active=True)
    assert set(shopper.items.values_list("requirement", flat=True)) == set(checklist.mystery_shopper_requirements())


def test_regeneration_is_idempotent_and_a_new_version_retires_the_old(reference_data):
    before = ChecklistItem.objects.count()
    templates_generate()
    assert ChecklistItem.objects.count() == before
    templates_generate(version="std-next")
    assert not ChecklistTemplate.objects.filter(is_active=True).exclude(standard_version="std-next").exists()
    call_command("audit_templates", verbosity=0)
    assert ChecklistTemplate.objects.filter(is_active=True, standard_version=checklist.standard_version()).count() == 4


def test_a_new_version_writes_its_items_at_once_each_with_its_history(reference_data, django_assert_max_num_queries):
    # per kind: the template (update_or_create in a savepoint, its history row) and one check for items, then the
    # items with their history rows in a few statements — about a dozen a kind, not three an item (≈ 600 in all)
    with django_assert_max_num_queries(60):
        templates = templates_generate(version="std-bulk")
    items = ChecklistItem.objects.filter(template__in=templates)
    assert items.count() == sum(len(checklist.item_specs(t.kind)) for t in templates)
    for template in templates:  # the same fields the item-by-item path writes, in the standard's order
        specs = list(enumerate(checklist.item_specs(template.kind), start=1))
        written = {i.key: i for i in template.items.all()}
        for position, spec in specs:
            item = written[spec.key]
            assert {name: getattr(item, name) for name in checklist._item_fields(spec, position)} == \
                checklist._item_fields(spec, position)
    history = ChecklistItem.history.filter(template_id__in=[t.pk for t in templates])
    assert history.count() == items.count() and set(history.values_list("history_type", flat=True)) == {"+"}
    before = ChecklistItem.objects.count()
    templates_generate(version="std-bulk")  # again: updated by key, nothing doubled
    assert ChecklistItem.objects.count() == before
