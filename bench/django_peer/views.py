"""The peer's endpoints: the approval, its floor and a ping (wrk's filler)."""

from __future__ import annotations

import hashlib
import json

from django.db import connection, transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django_fsm import can_proceed
from rest_framework import serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from bench.django_peer.models import Document, Grant, HistoryEvent, Outbox


def ping(_request):
    return JsonResponse({"ok": True})


@csrf_exempt  # an API endpoint, as the Flask floor
def floor(_request, row_id: int):
    """bench/floor_app.py's floor, through Django's connection."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT lock_version FROM bench_floor_rows WHERE id = %s", [row_id])
        row = cur.fetchone()
        if row is None:
            return JsonResponse({"error": "not found"}, status=404)
        cur.execute("UPDATE bench_floor_rows SET lock_version = lock_version + 1 "
                    "WHERE id = %s AND lock_version = %s", [row_id, row[0]])
        if cur.rowcount != 1:
            transaction.set_rollback(True)
            return JsonResponse({"error": "conflict"}, status=409)
        cur.execute("INSERT INTO bench_floor_log (row_id) VALUES (%s)", [row_id])
    return JsonResponse({"id": row_id, "lock_version": row[0] + 1})


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "org", "kind", "title", "state", "lock_version", "created_at",
                  "updated_at"]


class ApproveBody(serializers.Serializer):
    lock_version = serializers.IntegerField(min_value=0)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def chain_hash(prev_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


class BearerToken(TokenAuthentication):
    keyword = "Bearer"  # DRF's documented way to another keyword; the bench sends "Bearer"


class ApproveView(APIView):
    authentication_classes = [BearerToken]

    def post(self, request, pk: int):
        body = ApproveBody(data=request.data)
        body.is_valid(raise_exception=True)
        expected = body.validated_data["lock_version"]
        doc = get_object_or_404(Document, pk=pk)
        if not Grant.objects.filter(user=request.user, org_id=doc.org_id,
                                    role="director").exists():
            return Response({"error": "forbidden"}, status=status.HTTP_403_FORBIDDEN)
        if doc.lock_version != expected:
            return Response({"error": "stale_lock_version"}, status=status.HTTP_409_CONFLICT)
        if not can_proceed(doc.approve):
            return Response({"error": "transition_not_allowed"},
                            status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        from_state = doc.state
        doc.approve()
        now = timezone.now()
        with transaction.atomic():
            claimed = Document.objects.filter(pk=doc.pk, lock_version=expected).update(
                state=doc.state, lock_version=expected + 1, updated_at=now)
            if claimed != 1:
                transaction.set_rollback(True)
                return Response({"error": "stale_lock_version"},
                                status=status.HTTP_409_CONFLICT)
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [doc.org_id])
            prev = (HistoryEvent.objects.filter(org_id=doc.org_id).order_by("-id")
                    .values_list("hash", flat=True).first()) or ""
            fields = {"document": doc.pk, "actor": request.user.pk, "event": "approve",
                      "from": from_state, "to": doc.state, "at": now.isoformat(),
                      "comment": body.validated_data.get("comment", "")}
            HistoryEvent.objects.create(org_id=doc.org_id, document=doc, actor=request.user,
                                        event="approve", from_state=from_state,
                                        to_state=doc.state, at=now, prev_hash=prev,
                                        hash=chain_hash(prev, fields))
            Outbox.objects.create(key=f"doc:{doc.pk}:notify:approve:{expected + 1}",
                                  kind="notify", payload={"document": doc.pk, "event": "approve"})
        doc.lock_version, doc.updated_at = expected + 1, now
        return Response(DocumentSerializer(doc).data)
