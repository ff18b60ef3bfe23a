import factory
from factory.django import DjangoModelFactory

from supply_service.counter.models import Service, Window

LETTERS = {Service.Kind.FEE: "A", Service.Kind.BUSINESS: "B", Service.Kind.ENQUIRY: "C"}


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ["office", "kind"]

    kind = Service.Kind.FEE
    letter = factory.LazyAttribute(lambda s: LETTERS[s.kind])
    position = factory.LazyAttribute(lambda s: list(LETTERS).index(s.kind))


class WindowFactory(DjangoModelFactory):
    class Meta:
        model = Window
        django_get_or_create = ["office", "number"]
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if extracted:
            self.services.set(extracted)


def counter_setup(office, windows: int = 2) -> dict:
    """Three services and `windows` windows calling all of them; the counter's reference data."""
    from supply_service.counter.seed import ensure_reference_data

    ensure_reference_data()
    services = {kind: ServiceFactory(office=office, kind=kind) for kind in LETTERS}
    made = [WindowFactory(office=office, number=n + 1, services=list(services.values())) for n in range(windows)]
    return {"services": services, "windows": made}


def clerk_photo(size=(120, 160), fmt="PNG") -> bytes:
    """A small image, as a clerk card's photo would be stored (or uploaded, with `fmt`)."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(out, format=fmt)
    return out.getvalue()
