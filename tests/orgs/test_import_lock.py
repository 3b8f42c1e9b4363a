"""Imports read and check their file outside any write transaction: on SQLite a transaction
holds the database's one write lock, and a 200,000-row check must not hold it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from sameboat.core.jobs import job_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_roster_import_reads_its_file_only_outside_the_write_transaction(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from sameboat.orgs.importers import roster as importers

    # The test itself runs in a transaction; the import must open none while it reads.
    outside = len(connection.atomic_blocks)
    reads: list[int] = []
    original = importers.records

    def watched(*args, **kwargs):
        for item in original(*args, **kwargs):
            reads.append(len(connection.atomic_blocks) - outside)
            yield item

    monkeypatch.setattr(importers, "records", watched)
    data = b"Employee number,Name,Unit code\nA-1,One,CA1\nA-2,Two,CA1\n"
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(
            actor=world.officer_a,
            kind="orgs.import.employees",
            organization=world.company_a,
            upload=SimpleUploadedFile("r.csv", data),
        )
    job.refresh_from_db()
    assert job.status == "succeeded", job.error_message
    assert reads == [0, 0], reads  # read once, at the depth of no transaction
