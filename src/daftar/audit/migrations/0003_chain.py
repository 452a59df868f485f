"""The hash chain and the append-only triggers.

Existing events are chained in id order (the order they were written in), the chain head row
is set to the last of them, and the triggers go on last, once nothing needs to update a row.
"""

from typing import Any

from django.db import migrations, models

from daftar.audit import protect
from daftar.audit.chain import GENESIS, Content, link

CHUNK = 2000


def chain_existing(apps: Any, schema_editor: Any) -> None:
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "ChainHead")
    using = schema_editor.connection.alias
    seq, head, last_id = 0, GENESIS, 0
    while True:
        chunk = list(
            event_model.objects.using(using).filter(id__gt=last_id).order_by("id")[:CHUNK]
        )
        if not chunk:
            break
        for event in chunk:
            seq += 1
            event.seq, event.prev_hash = seq, head
            event.hash = head = link(head, _content(event))
        event_model.objects.using(using).bulk_update(chunk, ["seq", "prev_hash", "hash"])
        last_id = chunk[-1].id
    head_model.objects.using(using).create(pk=1, seq=seq, hash=head)


def _content(event: Any) -> Content:
    return Content(
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        post_id=event.post_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        before=event.before,
        after=event.after,
    )


def protect_tables(apps: Any, schema_editor: Any) -> None:
    protect.install(schema_editor.connection)


def unprotect_tables(apps: Any, schema_editor: Any) -> None:
    protect.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(verbose_name="sequence")),
                ("hash", models.CharField(max_length=64, verbose_name="hash")),
            ],
            options={"verbose_name": "audit chain head"},
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(verbose_name="sequence")),
                ("head_hash", models.CharField(max_length=64, verbose_name="head hash")),
                ("at", models.DateTimeField(verbose_name="at")),
                ("key_id", models.CharField(max_length=64, verbose_name="key fingerprint")),
                ("signature", models.CharField(max_length=128, verbose_name="signature")),
            ],
            options={"verbose_name": "audit checkpoint"},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(null=True, verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="previous hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(unique=True, verbose_name="sequence"),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "permissions": [("view_trail", "Browse and export the audit trail")],
                "verbose_name": "audit event",
            },
        ),
        migrations.RunPython(protect_tables, unprotect_tables),
    ]
