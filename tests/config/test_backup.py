"""Back up a database filled with the demo and an upload, restore it into an empty
database and storage, and see the same pages and files (lib/backups.py)."""

import hashlib
import re
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from knowledge import services as knowledge
from network.models import Network, User
from reports.models import ReportPeriod
from teams.models import Team

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"csrfToken": "[^"]+"')


def pages(client, paths):
    """Each page's HTML, without the per-request CSRF token."""
    bodies = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        content = b"".join(response) if response.streaming else response.content
        bodies[path] = CSRF.sub("csrf", content.decode(errors="replace"))
    return bodies


def files(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_the_same_pages_and_files(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with scopes_disabled():
        call_command("seed_demo", verbosity=0)
        improvement = Network.objects.get(kind="improvement", title__icontains="Vestvågøy")
        document = knowledge.add_document(
            improvement, name="lysark.pdf", data=b"%PDF-1.7 lysark", title="Lysark"
        )
        team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
        period = ReportPeriod.objects.filter(network=team.network).first()
        coordinator = User.objects.get(email="koordinator@demo.no")
        leader = User.objects.get(email="teamleder@demo.no")
    client.force_login(coordinator)
    coordinator_pages = [
        reverse("home"),
        reverse("reports:network_reports", args=[team.network_id]),
        reverse("admin:network_network_change", args=[team.network_id]),
        reverse("knowledge:document", args=[document.key]),
    ]
    leader_pages = [
        reverse("teams:team", args=[team.pk]),
        reverse("reports:report", args=[team.pk, period.pk]),
    ]
    before = pages(client, coordinator_pages)
    client.force_login(leader)
    before |= pages(client, leader_pages)
    stored = files(settings.MEDIA_ROOT)
    assert document.file.name in stored
    backup = tmp_path / "usht.tar.gz"
    call_command("backup", str(backup), stdout=open("/dev/null", "w"))  # noqa: SIM115
    with tarfile.open(backup) as archive:
        names = archive.getnames()
    assert {"manifest.json", "database.dump", f"media/{document.file.name}"} <= set(names)

    # Everything gone: an empty database (no tables at all) and an empty storage.
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    for path in sorted(settings.MEDIA_ROOT.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert connection.introspection.table_names() == []

    call_command("restore", str(backup), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert files(settings.MEDIA_ROOT) == stored
    client.force_login(coordinator)
    after = pages(client, coordinator_pages)
    client.force_login(leader)
    after |= pages(client, leader_pages)
    for path in before:
        assert after[path] == before[path], path

    # A second restore over the data is refused, and nothing is touched.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))
    assert files(settings.MEDIA_ROOT) == stored


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db):
    wrong = tmp_path / "not-a-backup.tar.gz"
    wrong.write_bytes(b"PK\x03\x04 a zip, not a backup")
    with pytest.raises(CommandError, match="cannot be read as a backup"):
        call_command("restore", str(wrong))


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_a_forced_restore_puts_back_rows_and_files(settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; PostgreSQL has the test above")
    settings.MEDIA_ROOT = tmp_path / "media"
    with scopes_disabled():
        call_command("seed_demo", verbosity=0)
        improvement = Network.objects.filter(kind="improvement").first()
        document = knowledge.add_document(
            improvement, name="lysark.pdf", data=b"%PDF-1.7 lysark", title="Lysark"
        )
        teams = sorted(Team.objects.values_list("pk", "unit"))
    stored = files(settings.MEDIA_ROOT)
    backup = tmp_path / "usht.tar.gz"
    call_command("backup", str(backup), stdout=open("/dev/null", "w"))  # noqa: SIM115
    with tarfile.open(backup) as archive:
        assert "database.sqlite3" in archive.getnames()
    with scopes_disabled():
        Team.objects.filter(pk=teams[0][0]).update(unit="Endret")
    (settings.MEDIA_ROOT / document.file.name).write_bytes(b"changed")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))
    call_command("restore", str(backup), "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        assert sorted(Team.objects.values_list("pk", "unit")) == teams
    assert files(settings.MEDIA_ROOT) == stored
