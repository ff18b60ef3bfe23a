"""The kernel's registries that let a lower layer learn about higher ones without importing them (issue 11):
page panels (`core.panels`) and event hooks (`core.hooks`)."""

import pytest

from supply_service.core import hooks, panels


@pytest.fixture
def clean_registries(monkeypatch):
    monkeypatch.setattr(panels, "_PANELS", {})
    monkeypatch.setattr(hooks, "_HANDLERS", {})


def test_panels_come_in_order_with_their_context_and_none_is_left_out(clean_registries):
    panels.register_panel("page", key="b", template="b.html", context_fn=lambda *, x: {"x": x}, order=20)
    panels.register_panel("page", key="a", template="a.html", context_fn=lambda *, x: {"x": x + 1}, order=10)
    panels.register_panel("page", key="hidden", template="h.html", context_fn=lambda *, x: None, order=5)
    rendered = panels.panels_for("page", x=1)
    assert [(p.key, p.template, p.context) for p in rendered] == [("a", "a.html", {"x": 2}), ("b", "b.html", {"x": 1})]
    assert panels.panels_for("another page", x=1) == []


def test_registering_a_panel_twice_keeps_one(clean_registries):
    panels.register_customer_panel("t", "one.html", lambda **kw: {})
    panels.register_customer_panel("t", "two.html", lambda **kw: {})
    assert [p.template for p in panels.panels("customer")] == ["two.html"]


def test_the_apps_register_their_panels_in_ready():
    assert [p.key for p in panels.panels("customer")] == ["tickets", "appointments", "complaints", "outages"]
    assert [p.key for p in panels.panels("outage")] == ["repairs"]


def test_hooks_call_every_handler_with_keywords_in_order(clean_registries):
    calls = []

    def first(**kw):
        calls.append(("first", kw))
        return 1

    def second(**kw):
        calls.append(("second", kw))
        return 2

    hooks.register("outage_restored", first)
    hooks.register("outage_restored", second)
    hooks.register("outage_restored", first)  # again (autoreload): still once, now last
    assert hooks.emit("outage_restored", notice_number="TD-1", at=None) == [2, 1]
    assert [name for name, _kw in calls] == ["second", "first"]
    assert calls[0][1] == {"notice_number": "TD-1", "at": None}


def test_an_unknown_event_is_refused(clean_registries):
    with pytest.raises(ValueError):
        hooks.register("outage_restord", lambda **kw: None)
    with pytest.raises(ValueError):
        hooks.emit("outage_restord")


def test_tickets_listen_for_restored_outages():
    assert [h.__name__ for h in hooks.handlers("outage_restored")] == ["repairs_resolve_by_outage"]
