"""Running a bundle: each operation through its resource's own rules, in one transaction.

Every operation goes through what the single-resource endpoint runs: the resource's
serializer (model validation, the ``verification_status`` rule, nested lists), the same
services (``resource_tombstone``, ``review_create``), the same row lock and ``If-Match``
check, and the same saves, so history, the change feed and the claim summary follow as they
do for one request (the feed's entries are written together at the end, in order). Local
references are replaced by the ids of the records they name just before their operation runs.

The caller owns the transaction: any ``BundleError`` rolls the whole bundle back.
"""

import uuid
from contextlib import contextmanager

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from rest_framework import exceptions
from rest_framework.reverse import reverse

from bundles.api.errors import BundleError
from bundles.api.operations import Operation, natural_key
from bundles.api.references import is_local_reference, map_references
from bundles.api.resources import RESOURCE_BY_MODEL
from bundles.natural_keys import natural_key_candidates, natural_key_lock
from changes.services import ChangeBatch
from claims.api.serializers import ReviewSerializer
from claims.services import review_create
from events.models import Actor
from eventsapi.api.permissions import EDITORS_GROUP, VERIFIERS_GROUP, in_group
from eventsapi.api.problems import as_api_exception, flatten_errors
from eventsapi.services import resource_tombstone

# Fields of a record's representation that change on every save whatever the data.
EVERY_SAVE_CHANGES = frozenset({"version", "updated_at"})


class BundleRunner:
    def __init__(self, request, changes: ChangeBatch | None = None):
        self.request = request
        self.changes = changes  # the feed entries, written at the end (changes_batched)
        # The records the bundle wrote or matched so far: references to them are not read again.
        self.known_rows: dict[tuple, object] = {}
        self.context = {"request": request, "format": None, "view": None, "known_rows": self.known_rows}
        self.local_ids: dict[str, uuid.UUID] = {}
        self.groups: dict[str, bool] = {}  # the user's memberships, asked once per bundle

    def run(self, operations: list[Operation]) -> list[dict]:
        results = []
        for operation in operations:
            with self._failures_named(operation):
                self._check_permission(operation)
                results.append(getattr(self, f"_{operation.op}")(operation))
        return results

    # -- the ops -----------------------------------------------------------------------------

    def _create(self, operation: Operation) -> dict:
        if operation.match is not None:
            existing = self._matched(operation)
            if existing is not None:
                return self._result(operation, existing, "matched")
        return self._result(operation, self._created(operation), "created")

    def _upsert(self, operation: Operation) -> dict:
        existing = self._matched(operation)
        if existing is None:
            return self._result(operation, self._created(operation), "created")
        existing = self._lock(existing, operation)
        instance, changed = self._updated(operation, existing, keep_if_unchanged=True)
        return self._result(operation, instance, "updated" if changed else "matched")

    def _update(self, operation: Operation) -> dict:
        instance, _ = self._updated(operation, self._target(operation), keep_if_unchanged=False)
        return self._result(operation, instance, "updated")

    def _delete(self, operation: Operation) -> dict:
        instance = self._target(operation)
        resource_tombstone(resource=instance)
        return self._result(operation, instance, "deleted")

    def _review(self, operation: Operation) -> dict:
        subject = self._target(operation)
        serializer = ReviewSerializer(data=self._resolved(operation, operation.data), context=self.context)
        serializer.is_valid(raise_exception=True)
        verdict = serializer.validated_data["verdict"]
        rationale = serializer.validated_data.get("rationale", "")
        evidence = serializer.validated_data.get("evidence", [])
        if _repeats_latest_review(subject, verdict, rationale, evidence):
            return self._result(operation, subject, "matched")
        review = review_create(
            subject=subject,
            verdict=verdict,
            rationale=rationale,
            evidence=evidence,
            reviewer=self.request.user,
        )
        return self._result(operation, getattr(review, type(subject)._meta.model_name), "reviewed")

    # -- steps -------------------------------------------------------------------------------

    def _matched(self, operation: Operation):
        key = natural_key(operation, self.local_ids.__getitem__)
        natural_key_lock(key)
        candidates = natural_key_candidates(key)
        if len(candidates) > 1:
            names = " and ".join(str(candidate.pk) for candidate in candidates)
            raise _OperationFailure(
                409,
                f"The match names more than one {operation.resource.verbose_name}: {names}. Match on "
                "a key that tells them apart (an external id), or merge them first.",
                ".match",
                "ambiguous_match",
            )
        return candidates[0] if candidates else None

    def _created(self, operation: Operation):
        data = self._resolved(operation, operation.data)
        if operation.match is not None:
            data = self._with_match(operation, data)
        serializer = operation.resource.serializer(data=data, context=self.context)
        serializer.is_valid(raise_exception=True)
        return serializer.save()

    def _updated(self, operation: Operation, instance, *, keep_if_unchanged: bool):
        data = self._resolved(operation, operation.data)
        serializer_class = operation.resource.serializer
        before = self._representation(instance) if keep_if_unchanged else None
        savepoint = transaction.savepoint() if keep_if_unchanged else None
        mark = self.changes.mark() if self.changes is not None else 0
        serializer = serializer_class(instance, data=data, partial=True, context=self.context)
        serializer.is_valid(raise_exception=True)
        saved = serializer.save()
        if keep_if_unchanged:
            fresh = type(saved).all_objects.get(pk=saved.pk)
            if self._representation(fresh) == before:
                # Nothing changed: no new version, no history record, no change-feed entry.
                transaction.savepoint_rollback(savepoint)
                if self.changes is not None:
                    self.changes.rollback_to(mark)
                return type(saved).all_objects.get(pk=saved.pk), False
            transaction.savepoint_commit(savepoint)
        return saved, True

    def _representation(self, instance) -> dict:
        data = dict(self._serializer_of(instance)(instance, context=self.context).data)
        return {name: value for name, value in data.items() if name not in EVERY_SAVE_CHANGES}

    @staticmethod
    def _serializer_of(instance):
        return RESOURCE_BY_MODEL[type(instance)].serializer

    def _with_match(self, operation: Operation, data: dict) -> dict:
        """The data of a create, with the fields its match names filled in when absent."""
        data = dict(data)
        for name, value in operation.match.items():
            if name == "external_id":
                scheme, identifier = value.split(":", 1)
                data["external_ids"] = {scheme: identifier, **(data.get("external_ids") or {})}
            elif name in ("parent", "speaker") and is_local_reference(value):
                data.setdefault(name, str(self.local_ids[value["lid"]]))
            else:
                data.setdefault(name, value)
        return data

    def _resolved(self, operation: Operation, data: dict) -> dict:
        def resolve(value, model, path):
            return str(self.local_ids[value["lid"]]) if is_local_reference(value) else value

        return map_references(data, operation.data_fields(), operation.path + ".data", resolve)

    def _target(self, operation: Operation):
        model = operation.resource.model
        pk = operation.target.id or self.local_ids[operation.target.lid]
        suffix = ".id" if operation.target.id else ".lid"
        try:
            instance = model.all_objects.get(pk=pk)
        except ObjectDoesNotExist:
            raise _OperationFailure(
                404, f"No {operation.resource.verbose_name} with id {pk}.", suffix, "not_found"
            ) from None
        if instance.deleted_at is not None:
            raise _OperationFailure(
                410, f"This {operation.resource.verbose_name} was deleted.", suffix, "gone"
            )
        if isinstance(instance, Actor) and instance.merged_into_id:
            raise _OperationFailure(
                409, f"This actor was merged into {instance.merged_into_id}; use that id.", suffix, "merged"
            )
        return self._lock(instance, operation)

    def _lock(self, instance, operation: Operation):
        """``instance`` row-locked for the rest of the bundle, after checking ``if_match``."""
        instance = type(instance).all_objects.select_for_update().get(pk=instance.pk)
        if operation.if_match is not None and instance.version != operation.if_match:
            raise _OperationFailure(
                412,
                f"The {operation.resource.verbose_name} changed since you read it: it is now at "
                f"version {instance.version}, not {operation.if_match}.",
                ".if_match",
                "precondition_failed",
            )
        return instance

    def _check_permission(self, operation: Operation) -> None:
        group = VERIFIERS_GROUP if operation.op == "review" else EDITORS_GROUP
        if group not in self.groups:
            self.groups[group] = in_group(self.request.user, group)
        if not self.groups[group]:
            what = "Posting a review" if operation.op == "review" else "Writing"
            raise _OperationFailure(
                403, f"{what} requires membership of the {group} group.", "", "permission_denied"
            )

    def _result(self, operation: Operation, instance, status: str) -> dict:
        if operation.lid is not None:
            self.local_ids[operation.lid] = instance.pk
        if status == "deleted":
            self.known_rows.pop((type(instance), instance.pk), None)
        else:
            self.known_rows[(type(instance), instance.pk)] = instance
        version = instance.version  # the copy the operation saved last
        return {
            "index": operation.index,
            "op": operation.op,
            "resource": operation.resource.name,
            "lid": operation.lid if operation.lid is not None else operation.target and operation.target.lid,
            "id": instance.pk,
            "url": reverse(operation.resource.detail_view, kwargs={"pk": instance.pk}, request=self.request),
            "status": status,
            "version": version,
        }

    # -- failures ----------------------------------------------------------------------------

    @contextmanager
    def _failures_named(self, operation: Operation):
        try:
            yield
        except BundleError:
            raise
        except _OperationFailure as failure:
            raise BundleError(
                failure.status,
                failure.message,
                field=operation.path + failure.suffix,
                code=failure.code,
                operation=operation.describe(),
            ) from failure
        except Exception as error:
            raise _bundle_error(operation, error) from error


def _repeats_latest_review(subject, verdict: str, rationale: str, evidence) -> bool:
    """Whether the verdict is the subject's standing one, given by its latest review with the same
    rationale and evidence: posting a story again then adds no review."""
    latest = subject.reviews.order_by("-created_at", "-id").first()
    return (
        latest is not None
        and subject.verification_status == verdict == latest.verdict
        and latest.rationale == rationale.strip()
        and {source.pk for source in latest.evidence.all()} == {source.pk for source in evidence}
    )


class _OperationFailure(Exception):
    def __init__(self, status: int, message: str, suffix: str, code: str):
        super().__init__(message)
        self.status, self.message, self.suffix, self.code = status, message, suffix, code


def _bundle_error(operation: Operation, error: Exception) -> BundleError:
    """``error``, raised while ``operation`` ran, as the bundle's problem."""
    converted = as_api_exception(error)
    if not isinstance(converted, exceptions.APIException):
        raise error
    if isinstance(converted, exceptions.ValidationError):
        errors = flatten_errors(converted.detail, operation.path + ".data")
        for error_item in errors:
            error_item["field"] = error_item["field"] or operation.path + ".data"
        fields = ", ".join(sorted({item["field"] for item in errors}))
        return BundleError(
            400,
            f"Invalid input for {fields}.",
            field=errors[0]["field"],
            code="validation_error",
            operation=operation.describe(),
            errors=errors,
        )
    detail = converted.detail
    message = str(detail) if not isinstance(detail, (list, dict)) else "The operation failed."
    code = getattr(detail, "code", None) or converted.default_code
    return BundleError(
        converted.status_code, message, field=operation.path, code=code, operation=operation.describe()
    )
