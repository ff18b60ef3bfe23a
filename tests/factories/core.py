import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from supply_service.core.models import Office, User
from tests.kernel_app.models import SampleItem

PASSWORD = "test-pass-2026"


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"office-{n}")
    name = factory.Sequence(lambda n: f"营业厅 {n}")
    address = "人民路 1 号"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@supply.example.cn")
    office = factory.SubFactory(OfficeFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get(name=role))


class SampleItemFactory(DjangoModelFactory):
    class Meta:
        model = SampleItem

    number = factory.Sequence(lambda n: f"TS-20261127-{n:04d}")
    office = factory.SubFactory(OfficeFactory)
    channel = "counter"
    first_responder = factory.SubFactory(UserFactory, office=factory.SelfAttribute("..office"))
    owner = factory.SelfAttribute("first_responder")
    customer_name = "张三"
    customer_phone = "13812341234"
