import datetime as dt
from importlib import import_module

import factory

from network.models import (
    Centre,
    Coordinator,
    County,
    FocusArea,
    Municipality,
    Network,
    NetworkKind,
    Person,
    User,
)
from sessions_app.models import Session, SessionKind
from teams.models import Profession, Role, Team, TeamMember
from teams.signals import members_changed


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.no")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"USHT {n}")
    county = County.NORDLAND


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.no")


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordinator

    centre = factory.SubFactory(CentreFactory)
    person = factory.SubFactory(
        PersonFactory,
        centre=factory.SelfAttribute("..centre"),
        user=factory.SubFactory(UserFactory, is_staff=True),
    )


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: f"{1000 + n % 9000:04d}")
    name = factory.Sequence(lambda n: f"Kommune {n}")
    county = County.NORDLAND


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    centre = factory.SubFactory(CentreFactory)
    title = factory.Sequence(lambda n: f"Læringsnettverk {n}")
    kind = NetworkKind.LEARNING
    start_date = dt.date(2026, 9, 1)
    end_date = dt.date(2027, 6, 1)


def ensure_reference_data():
    """The focus areas come with a data migration. A transactional test flushes
    the database afterwards; load them again the migration's way if they are gone."""
    if not FocusArea.objects.exists():
        from django.apps import apps

        import_module("network.migrations.0002_focus_areas").load(apps, None)


def focus_area(slug):
    ensure_reference_data()
    return FocusArea.objects.get(slug=slug)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    network = factory.SubFactory(NetworkFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    unit = factory.Sequence(lambda n: f"Avdeling {n}")
    focus_area = factory.LazyFunction(lambda: focus_area("fall"))


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    person = factory.SubFactory(
        PersonFactory, centre=factory.SelfAttribute("..team.network.centre")
    )
    role = Role.MEMBER
    profession = Profession.NURSE

    @factory.post_generation
    def _tell_other_apps(obj, create, extracted, **kwargs):
        """As the admin's team page does once it has saved the members."""
        if create:
            members_changed.send(sender=Team, team=obj.team)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    network = factory.SubFactory(NetworkFactory)
    kind = SessionKind.GATHERING
    number = factory.Sequence(lambda n: n + 1)
    starts_at = dt.datetime(2026, 9, 15, 7, 0, tzinfo=dt.UTC)
    ends_at = dt.datetime(2026, 9, 15, 13, 30, tzinfo=dt.UTC)
