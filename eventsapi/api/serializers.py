"""Serializer machinery shared by every resource.

- ``BriefRelatedField`` reads as a brief nested object and writes as an id.
- ``ResourceSerializer`` runs the model's ``full_clean()`` so model rules hold for the API,
  the admin and fixtures alike, and writes nested child rows (participants, affiliations,
  stances) through ``eventsapi.services.children_replace``, in the same transaction as the
  parent.
"""

import copy
import uuid

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.utils import html

from eventsapi.choices import VerificationStatus
from eventsapi.services import ItemErrors, children_replace
from eventsapi.validation import full_clean_known


def from_html_form(field: serializers.Field) -> bool:
    """Whether the data comes from an HTML form (the browsable API), where every value is text."""
    return html.is_html_input(getattr(field.root, "initial_data", None))


ITEM_URL_HELP_TEXT = "The item's address in the API."


class StrictJSONTypesMixin:
    """In JSON a string field takes a string, a number field a number, a boolean a boolean.

    DRF would turn 0 into "0" and "yes" into True, which the schema does not promise (and the
    fuzzer's negative tests catch). HTML forms send text and keep DRF's conversions.
    """

    json_types: tuple[type, ...] = ()

    def to_internal_value(self, data):
        if not from_html_form(self) and (
            not isinstance(data, self.json_types) or (isinstance(data, bool) and bool not in self.json_types)
        ):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(StrictJSONTypesMixin, serializers.CharField):
    json_types = (str,)


class StrictIntegerField(StrictJSONTypesMixin, serializers.IntegerField):
    json_types = (int,)


class StrictFloatField(StrictJSONTypesMixin, serializers.FloatField):
    json_types = (int, float)


class StrictBooleanField(StrictJSONTypesMixin, serializers.BooleanField):
    json_types = (bool,)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose scalar fields take only their own JSON type."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.BigIntegerField: StrictIntegerField,
        models.FloatField: StrictFloatField,
        models.BooleanField: StrictBooleanField,
    }

    def get_fields(self):
        # ModelSerializer builds every field from the model for each serializer it makes (many
        # per list and per bundle); the build depends on the class alone, so it is made once
        # per class and copied, as DRF copies declared fields.
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)


class StrictManyRelatedField(serializers.ManyRelatedField):
    """A list of relations that, in JSON, must be a list (DRF would iterate a dict's keys)."""

    def to_internal_value(self, data):
        if not isinstance(data, list) and not from_html_form(self):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class BriefRelatedField(serializers.PrimaryKeyRelatedField):
    """A relation rendered as ``brief_serializer`` on read and taken as an id on write.

    On write it also accepts the brief object itself (``{"id": ...}``), so a client can
    send back what it read.
    """

    default_error_messages = {
        "does_not_exist": "No {model} with id {pk_value}.",
        "incorrect_type": "Expected an id (UUID), got {data_type}.",
        "invalid_uuid": "{value} is not a valid UUID.",
    }

    def __init__(self, brief_serializer: type[serializers.Serializer], **kwargs):
        self.brief_serializer = brief_serializer
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS})
        return StrictManyRelatedField(**list_kwargs)

    def use_pk_only_optimization(self) -> bool:
        return False

    def run_validation(self, data=serializers.empty):
        # DRF reads "" as null for relations, which HTML forms need; in JSON "" is not an id.
        if data == "" and not html.is_html_input(getattr(self.root, "initial_data", None)):
            self.fail("invalid_uuid", value='""')
        return super().run_validation(data)

    def to_internal_value(self, data):
        if isinstance(data, dict) and "id" in data:
            data = data["id"]
        if isinstance(data, bool) or not isinstance(data, (str, uuid.UUID)):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid_uuid", value=data)
        queryset = self.get_queryset()
        known = self._known_row(queryset, pk)
        if known is not None:
            return known
        try:
            return queryset.get(pk=pk)
        except queryset.model.DoesNotExist:
            self.fail("does_not_exist", model=queryset.model._meta.verbose_name, pk_value=pk)

    def _known_row(self, queryset, pk):
        """The row a writer of many records (a bundle) holds in ``context["known_rows"]`` by
        ``(model, pk)``, as it stands after its last write there, when this field's queryset
        is its model's default one (any row of it qualifies); else None."""
        known = self.context.get("known_rows")
        row = known.get((queryset.model, pk)) if known else None
        if row is None or queryset.query.where != queryset.model._default_manager.all().query.where:
            return None
        return row

    def to_representation(self, value):
        return self.brief_serializer(value, context=self.context).data

    def get_choices(self, cutoff=None):
        # The browsable API's form lists choices; keep it short on big tables.
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {str(item.pk): str(item) for item in queryset}


class BriefSerializer(serializers.ModelSerializer):
    """Base for the ``{id, url, name}`` forms used inside other resources."""


def _error_details(errors: list[DjangoValidationError]) -> list[serializers.ErrorDetail]:
    return [
        serializers.ErrorDetail(message, code=item.code or "invalid")
        for item in errors
        for message in item.messages
    ]


def _field_details(error_dict: dict[str, list[DjangoValidationError]]) -> dict:
    return {
        api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: _error_details(errors)
        for field, errors in error_dict.items()
    }


def _django_errors_to_drf(error: DjangoValidationError) -> dict:
    """DRF's error detail for a Django ``ValidationError``, keeping list items apart."""
    if isinstance(error, ItemErrors):
        return {error.field: [_field_details(item) for item in error.items]}
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: _error_details(error.error_list)}
    return _field_details(error.error_dict)


class ResourceSerializer(StrictModelSerializer):
    """Validates through the model and writes nested child lists.

    ``Meta.nested_children`` maps a nested list field to the child model's foreign key to
    the parent, e.g. ``{"participants": "event"}``. On create, and on update when the field
    is sent, the parent's children are replaced by the list.
    """

    url = serializers.HyperlinkedIdentityField(
        view_name="invalid", lookup_field="pk", help_text=ITEM_URL_HELP_TEXT
    )

    def get_fields(self):
        fields = super().get_fields()
        if "url" in fields and isinstance(fields["url"], serializers.HyperlinkedIdentityField):
            fields["url"].view_name = f"{self.Meta.model._meta.model_name}-detail"
        return fields

    def _nested_children(self) -> dict[str, str]:
        return getattr(self.Meta, "nested_children", {})

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        candidate = model() if self.instance is None else self._copy_instance(self.instance)
        many_to_many = set()
        for name, value in attrs.items():
            if name in self._nested_children():
                continue
            field = model._meta.get_field(name)
            if field.many_to_many:
                many_to_many.add(name)
                continue
            setattr(candidate, name, value)
        exclude = {field.name for field in model._meta.many_to_many} | many_to_many
        try:
            full_clean_known(candidate, exclude=exclude)
        except DjangoValidationError as error:
            raise serializers.ValidationError(_django_errors_to_drf(error)) from error
        for name in attrs:
            if not model._meta.get_field(name).many_to_many and name not in self._nested_children():
                attrs[name] = getattr(candidate, name)
        return attrs

    @staticmethod
    def _copy_instance(instance: models.Model) -> models.Model:
        copy = type(instance)()
        for field in instance._meta.concrete_fields:
            setattr(copy, field.attname, getattr(instance, field.attname))
        copy._state.adding = False
        copy._state.db = instance._state.db
        return copy

    def create(self, validated_data):
        nested = self._pop_nested(validated_data)
        # A new row has no links yet: add them (DRF's set() would read the none there are first).
        links = {
            field.name: validated_data.pop(field.name)
            for field in self.Meta.model._meta.many_to_many
            if field.name in validated_data
        }
        instance = super().create(validated_data)
        for name, values in links.items():
            getattr(instance, name).add(*values)
        self._write_nested(instance, nested, new=True)
        return instance

    def update(self, instance, validated_data):
        nested = self._pop_nested(validated_data)
        instance = super().update(instance, validated_data)
        self._write_nested(instance, nested)
        return instance

    def _pop_nested(self, validated_data: dict) -> dict:
        return {name: validated_data.pop(name) for name in self._nested_children() if name in validated_data}

    def _write_nested(self, instance: models.Model, nested: dict, *, new: bool = False) -> None:
        for name, rows in nested.items():
            try:
                children_replace(
                    parent=instance,
                    field=name,
                    child_model=self.fields[name].child.Meta.model,
                    parent_field=self._nested_children()[name],
                    rows=rows,
                    new_parent=new,
                )
            except DjangoValidationError as error:
                raise serializers.ValidationError(_django_errors_to_drf(error)) from error


class VerificationStatusField(serializers.ChoiceField):
    """``verification_status``: changed only by posting a review, never by a plain write.

    A write may send the current value back unchanged (so clients can round-trip what they
    read); any other value is a 400 that points to the reviews endpoint.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "What reviewers concluded. Read-only: change it by POSTing to this item's reviews/ "
            "endpoint. A write may send the current value unchanged.",
        )
        super().__init__(choices=VerificationStatus.choices, **kwargs)

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        instance = self.parent.instance
        current = instance.verification_status if instance is not None else VerificationStatus.UNVERIFIED
        if value is not serializers.empty and value != current:
            model_name = self.parent.Meta.model._meta.model_name
            where = (
                reverse(
                    f"{model_name}-reviews", kwargs={"pk": instance.pk}, request=self.context.get("request")
                )
                if instance is not None
                else f"the {model_name}'s reviews/ endpoint after creating it"
            )
            raise serializers.ValidationError(
                f"verification_status is set by posting a review to {where}.", code="read_only"
            )
        return value
