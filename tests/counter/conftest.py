from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories.counter import counter_setup

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=SH)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hall(office):
    return counter_setup(office)


@pytest.fixture
def fee(hall):
    return hall["services"]["fee"]


@pytest.fixture
def win1(hall):
    return hall["windows"][0]


@pytest.fixture
def win2(hall):
    return hall["windows"][1]
