"""Reading centres, networks and people, and the one access rule for a network.

Which centre's rows a request reads is settled by its scope (``network.access``);
what is left for the pages is the role: only coordinators (and superusers) open a
network's coordinator pages.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest

from network.access import access_of
from network.models import Coordinator, Network, Person


def count_of(model: type[Model], relation: str) -> Coalesce:
    """How many rows of ``model``'s reverse ``relation`` ("teams", "members") point
    at each row, as a correlated subquery.

    For a list column: unlike ``Count`` over a join, it needs no GROUP BY over
    every visible row before the page is cut, so its cost follows the page size,
    not the size of the centre. The rows counted belong to the row they are
    counted for, which the list's own query already scoped, so the subquery reads
    them through the base manager, without the scope's joins.
    """
    reverse = model._meta.get_field(relation)
    related, field = reverse.related_model, reverse.field.name
    counted = (
        related._base_manager.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def coordinator_emails(network: Network) -> list[str]:
    """The e-mail addresses of the coordinators of ``network``'s centre."""
    return list(
        Coordinator.objects.filter(centre_id=network.centre_id)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )


def coordinated_networks(request: HttpRequest) -> QuerySet[Network]:
    """The networks of the centres the user coordinates (every one for a superuser)."""
    access = access_of(request)
    if access.is_superuser:
        return Network.objects.all()
    return Network.objects.filter(centre_id__in=access.coordinated_centre_ids)


def get_coordinated_network(request: HttpRequest, network_id: int) -> Network:
    """A network of a centre the user coordinates: 403 for someone who coordinates
    nothing (the wrong role), 404 for another centre's network (an outsider)."""
    if not access_of(request).may_coordinate:
        raise PermissionDenied
    network = (
        coordinated_networks(request).select_related("centre").order_by().filter(pk=network_id)
    ).first()
    if network is None:
        raise Http404
    return network


def get_coordinated_person(request: HttpRequest, person_id: int) -> Person:
    """A person of a centre the user coordinates (any for a superuser): 403 for
    someone who coordinates nothing, 404 for another centre's person."""
    access = access_of(request)
    if not access.may_coordinate:
        raise PermissionDenied
    people = Person.objects.select_related("centre", "user").order_by()
    if not access.is_superuser:
        people = people.filter(centre_id__in=access.coordinated_centre_ids)
    person = people.filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def person_with_email(centre_id: int, email: str, exclude_pk: int | None = None) -> Person | None:
    """The centre's person with this e-mail address (in any case), if there is one."""
    people = Person.objects.filter(centre_id=centre_id, email__iexact=email.strip())
    return people.exclude(pk=exclude_pk).first() if exclude_pk else people.first()


def namesakes(person: Person) -> list[Person]:
    """Other people of the same name (in any case) at the person's centre."""
    return list(
        Person.objects.filter(centre_id=person.centre_id, name__iexact=person.name.strip())
        .exclude(pk=person.pk)
        .order_by("pk")[:5]
    )
