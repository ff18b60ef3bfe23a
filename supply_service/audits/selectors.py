"""Read queries of the audit pages (each a constant number of queries whatever the size of the checklist)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from supply_service.audits.models import Answer, Audit, ChecklistItem, CorrectiveAction, Evidence
from supply_service.core.selectors import sla_open_clocks_by_subject


def audit_list_for_user(*, user, state: str = "", scope: str = "office") -> QuerySet[Audit]:
    """Audits of the user's office and those the user conducts (scope "all": every office)."""
    qs = Audit.objects.select_related("office", "template", "auditor", "recheck_of")
    if scope != "all":
        qs = qs.filter(Q(office_id=user.office_id) | Q(auditor=user))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-planned_for", "-pk")


def audit_get_by_number(*, number: str) -> Audit | None:
    return (Audit.objects.select_related("office", "template", "auditor", "created_by", "reviewed_by", "recheck_of")
            .filter(number=number).first())


@dataclass
class ItemRow:
    item: ChecklistItem
    answer: Answer | None
    evidence: list[int] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.answer is not None


def audit_rows(*, audit: Audit) -> list[ItemRow]:
    """Every item of the audit's checklist with its answer and the ids of its photos: three queries."""
    items = list(audit.template.items.order_by("position"))
    answers = {a.item_id: a for a in Answer.objects.filter(audit=audit).select_related("action_owner")}
    photos: dict[int, list[int]] = {}
    for answer_id, pk in Evidence.objects.filter(answer__audit=audit).order_by("pk").values_list("answer_id", "pk"):
        photos.setdefault(answer_id, []).append(pk)
    rows = []
    for item in items:
        answer = answers.get(item.pk)
        rows.append(ItemRow(item=item, answer=answer, evidence=photos.get(answer.pk, []) if answer else []))
    return rows


def audit_actions(*, audit: Audit) -> list[CorrectiveAction]:
    """The audit's corrective actions with their owner and open clock (`clock`): two queries."""
    actions = list(audit.actions.select_related("owner").order_by("pk"))
    clocks = sla_open_clocks_by_subject(subjects=actions) if actions else {}
    for action in actions:
        action.clock = clocks.get(action.pk)
    return actions


def action_get_by_number(*, number: str) -> CorrectiveAction | None:
    return (CorrectiveAction.objects.select_related("audit", "audit__office", "audit__auditor", "answer",
                                                    "answer__item", "owner", "office", "verified_by")
            .filter(number=number).first())


def evidence_ids_for_answer(*, answer_id: int) -> list[int]:
    return list(Evidence.objects.filter(answer_id=answer_id).order_by("pk").values_list("pk", flat=True))


def evidence_get(*, pk: int) -> Evidence | None:
    return Evidence.objects.select_related("answer__audit").filter(pk=pk).first()


def office_staff(*, office_id: int) -> QuerySet:
    """Who may own a corrective action: the active staff of the audited office."""
    return get_user_model().objects.filter(office_id=office_id, is_active=True).order_by("username")


def conductors() -> QuerySet:
    """Active users who may conduct an audit (the auditor and manager roles, or a direct grant)."""
    user_model = get_user_model()
    perm = Q(groups__permissions__codename="conduct_audit", groups__permissions__content_type__app_label="audits") | \
        Q(user_permissions__codename="conduct_audit", user_permissions__content_type__app_label="audits")
    return user_model.objects.filter(perm, is_active=True).select_related("office").distinct().order_by("username")
