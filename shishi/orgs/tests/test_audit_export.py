"""Exports of personal data are on the audit log; an auditor exports the log; entries are
append-only (the model everywhere, the database too on PostgreSQL)."""

import csv
import io

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from shishi.core.events import audit
from shishi.core.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


def test_every_export_is_an_audit_entry_and_the_auditor_exports_the_log(
    login, operator, auditor, city_admin
):
    # when the operator exports the appeal queue and the admin the units
    login(operator).get(reverse("appeals:export", args=["csv"]) + "?queue=all")
    login(city_admin).get(reverse("staff:unit_export"))

    # then both are on the log, with who and what
    exported = AuditEntry.objects.filter(verb=AuditEntry.Verb.EXPORTED)
    assert {e.note.split("；")[0] for e in exported} == {"诉求清单（CSV）", "单位清单（CSV）"}
    assert all(e.actor_label for e in exported)

    # and the auditor downloads the log as CSV, which is itself recorded
    response = login(auditor).get(reverse("staff:audit_export") + "?verb=exported")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["时间", "操作人", "动作", "对象", "说明"]
    # (the log's own export is recorded first, so it is in the file too)
    assert {row[2] for row in rows[1:]} == {"导出数据"} and len(rows) == 1 + 3
    assert rows[1][4].startswith("审计日志")
    assert AuditEntry.objects.filter(verb=AuditEntry.Verb.EXPORTED).count() == 3


def test_an_audit_entry_cannot_be_changed_or_removed(city_admin):
    entry = audit(actor=city_admin, verb=AuditEntry.Verb.EXPORTED, note="单位清单")
    entry.note = "改过的说明"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    if connection.vendor == "postgresql":  # the database refuses it too, whoever asks
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(note="绕过模型")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == "单位清单"
