"""factory_boy factories shared by the whole suite. App-specific factories live in
tests/<app>/factories.py and may build on these."""

import factory

from accounts.models import Organization, Role, User

TEST_PASSWORD = "password123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STUDENT
    display_name = factory.Sequence(lambda n: f"用户{n}")
    display_name_en = factory.Sequence(lambda n: f"User {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save(update_fields=["password"])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.ENTERPRISE
    name = factory.Sequence(lambda n: f"企业{n}")
    name_en = factory.Sequence(lambda n: f"Enterprise {n}")
    code = factory.Sequence(lambda n: f"org-{n}")
