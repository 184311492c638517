"""The peer's tables: organisations, role grants, documents with their state machine, the
per-organisation history chain and the outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition


class Organization(models.Model):
    name = models.CharField(max_length=200)


class Grant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE)
    role = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["user", "org", "role"])]


class Document(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT)
    kind = models.CharField(max_length=40, default="order")
    title = models.CharField(max_length=500)
    state = FSMField(default="draft", protected=False)
    lock_version = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["org", "state"])]

    @transition(field=state, source="draft", target="on_approval")
    def submit(self):
        pass

    @transition(field=state, source="on_approval", target="approved")
    def approve(self):
        pass

    @transition(field=state, source="on_approval", target="draft")
    def reject(self):
        pass


class HistoryEvent(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT)
    document = models.ForeignKey(Document, on_delete=models.PROTECT)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    event = models.CharField(max_length=40)
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["org", "-id"]), models.Index(fields=["document"])]


class Outbox(models.Model):
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True)
