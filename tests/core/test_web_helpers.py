"""The staff views' helpers, once in the kernel (`core.web`): the item-number converter, the refusal messages and
`run_service`, paging (issue 11)."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import translation
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from supply_service.core.access import OtherOfficeDenied
from supply_service.core.web import paginate, refusal_messages, run_service


def _request(path="/x/", **query):
    request = RequestFactory().get(path, query)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("path", ["/tickets/GD-20261127-0042/", "/outages/TD-20261127-1/"])
def test_one_converter_for_ticket_and_notice_numbers(path):
    assert resolve(path).kwargs == {"number": path.split("/")[2]}


def test_a_lower_case_number_is_the_same_item():
    assert resolve("/outages/td-20261127-1/").kwargs == {"number": "TD-20261127-1"}
    assert reverse("tickets:detail", kwargs={"number": "GD-20261127-0042"}) == "/tickets/GD-20261127-0042/"


@pytest.mark.parametrize("path", ["/tickets/GD-2026-1/", "/outages/TD-20261127-1%00/", "/outages/../"])
def test_anything_else_is_no_item_page(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_each_refusal_in_words():
    with translation.override("en"):
        assert refusal_messages(ConcurrentTransition("x"))[0].startswith("Someone else changed this item")
        assert refusal_messages(TransitionNotAllowed("Not now, the service says.")) == ["Not now, the service says."]
        assert refusal_messages(TransitionNotAllowed("fsm text", object=object(), method=None)) == [
            "This step is not possible in the item's present state."]
        assert refusal_messages(OtherOfficeDenied("Another office's.")) == ["Another office's."]
        assert refusal_messages(PermissionDenied()) == ["You may not take this step."]
        assert refusal_messages(ValidationError(["one", "two"])) == ["one", "two"]


def test_run_service_turns_a_refusal_into_messages_and_says_false():
    request = _request()

    def refuse():
        raise ValidationError(["one", "two"])

    assert run_service(request, refuse) is False
    assert [str(m) for m in get_messages(request)] == ["one", "two"]
    assert run_service(request, lambda: None) is True


def test_run_service_lets_other_errors_through():
    def crash():
        raise RuntimeError("a bug is a bug")

    with pytest.raises(RuntimeError):
        run_service(_request(), crash)


def test_paging_keeps_the_other_parameters_and_a_bad_page_gives_a_page():
    pager = paginate(_request(state="open", page="x"), list(range(30)), per_page=10, anchor="list")
    assert list(pager) == list(range(10)) and pager.count == 30
    assert pager.previous_url == "" and pager.next_url == "?state=open&page=2#list"
    last = paginate(_request(page="99"), list(range(30)), per_page=10, param="page")
    assert list(last) == list(range(20, 30)) and last.next_url == ""
