"""The clerk on the rating pad (issue 15): name, staff number and photo of the clerk signed in at the window. The
photo lives on a counter-owned card kept by managers in the admin — only real images, re-encoded as JPEG by the
kernel's `core.images` (the audits' evidence uses the same code) — and is served only to the pad of the window where
that clerk is signed in."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from supply_service.core.models import Policy
from supply_service.counter import services
from supply_service.counter.models import ClerkCard
from tests.factories.counter import clerk_photo

pytestmark = pytest.mark.django_db
ADD = reverse("admin:counter_clerkcard_add")


def _upload(data: bytes, name="me.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def staff_manager(manager):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    return manager


def test_a_manager_adds_a_card_with_a_photo_re_encoded_as_jpeg(client, staff_manager, clerk):
    client.force_login(staff_manager)
    big = clerk_photo(size=(1200, 1600))
    response = client.post(ADD, {"user": clerk.pk, "staff_number": "GH-0007", "photo_upload": _upload(big)})
    assert response.status_code == 302, response.content.decode()[:2000]
    card = ClerkCard.objects.get(user=clerk)
    photo = bytes(card.photo)
    assert photo[:2] == b"\xff\xd8" and card.photo_updated_at is not None
    side = int(Policy.objects.get(code="clerk_photo_max_side").value)
    with Image.open(BytesIO(photo)) as image:
        assert image.format == "JPEG" and max(image.size) <= side
    assert card.history.first().history_change_reason == "counter.clerk_card"


@pytest.mark.parametrize("data", [b"not an image", b"GIF89a" + b"\x00" * 10])
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_saved(client, staff_manager, clerk, data):
    client.force_login(staff_manager)
    response = client.post(ADD, {"user": clerk.pk, "staff_number": "GH-0008", "photo_upload": _upload(data)})
    assert response.status_code == 200 and not ClerkCard.objects.exists()


def test_only_managers_keep_the_cards(client, auditor, clerk):
    auditor.is_staff = True
    auditor.save(update_fields=["is_staff"])
    client.force_login(auditor)
    assert client.get(ADD).status_code == 403
    client.force_login(clerk)
    assert client.get(ADD).status_code == 302  # to the admin's login: not staff


def test_the_pad_shows_the_signed_in_clerks_name_number_and_photo(client, clerk, win1, win2, hall):
    ClerkCard.objects.create(user=clerk, staff_number="GH-0009", photo=clerk_photo(fmt="JPEG"))
    pad, other = reverse("counter:pad", args=[win1.pad_key]), reverse("counter:pad", args=[win2.pad_key])
    assert "GH-0009" not in client.get(pad).content.decode()  # nobody signed in yet
    assert client.get(pad + "photo/").status_code == 404
    services.window_open(window=win1, by=clerk)
    html = client.get(pad).content.decode()
    assert 'data-staff-number>GH-0009<' in html and f'src="{pad}photo/"' in html
    photo = client.get(pad + "photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg" and photo.content[:2] == b"\xff\xd8"
    assert "GH-0009" not in client.get(other).content.decode()  # another window's pad
    assert client.get(other + "photo/").status_code == 404
    services.window_close(window=win1, by=clerk)
    assert client.get(pad + "photo/").status_code == 404 and "GH-0009" not in client.get(pad).content.decode()


def test_a_clerk_without_a_card_shows_the_username_and_no_photo(client, clerk, win1, hall):
    services.window_open(window=win1, by=clerk)
    html = client.get(reverse("counter:pad", args=[win1.pad_key])).content.decode()
    assert f"data-staff-number>{clerk.username}<" in html and "data-clerk-photo" not in html
