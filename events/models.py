"""Places, actors and the events they take part in."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, Upper

from events.periods import PeriodEnd, PeriodStart
from eventsapi.choices import VerificationStatus
from eventsapi.models import Resource
from eventsapi.validators import UNSTORABLE_MESSAGE, unstorable

country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", "Use an ISO 3166-1 alpha-2 code in capitals, such as AF."
)


def validate_string_list(value) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Must be a list of strings.", code="invalid")
    if any(unstorable(item) for item in value):
        raise ValidationError(UNSTORABLE_MESSAGE, code="null_characters_not_allowed")


def validate_string_mapping(value) -> None:
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in value.items()
    ):
        raise ValidationError("Must be an object mapping scheme names to string ids.", code="invalid")
    if any(unstorable(key) or unstorable(item) for key, item in value.items()):
        raise ValidationError(UNSTORABLE_MESSAGE, code="null_characters_not_allowed")


class PlaceKind(models.TextChoices):
    COUNTRY = "country", "Country"
    ADMIN1 = "admin1", "First-level administrative division"
    ADMIN2 = "admin2", "Second-level administrative division"
    ADMIN3 = "admin3", "Third-level administrative division"
    LOCALITY = "locality", "Locality"
    FEATURE = "feature", "Geographic feature"


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"


class EventType(models.TextChoices):
    """ACLED's event types, plus political developments and other."""

    BATTLE = "battle", "Battle"
    EXPLOSION_REMOTE_VIOLENCE = "explosion_remote_violence", "Explosion / remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "violence_against_civilians", "Violence against civilians"
    PROTEST = "protest", "Protest"
    RIOT = "riot", "Riot"
    STRATEGIC_DEVELOPMENT = "strategic_development", "Strategic development"
    POLITICAL = "political", "Political"
    OTHER = "other", "Other"


class SubEventType(models.TextChoices):
    """ACLED's sub-event types (its codebook), each under one of its six event types."""

    ARMED_CLASH = "armed_clash", "Armed clash"
    GOVERNMENT_REGAINS_TERRITORY = "government_regains_territory", "Government regains territory"
    NON_STATE_ACTOR_OVERTAKES_TERRITORY = (
        "non_state_actor_overtakes_territory",
        "Non-state actor overtakes territory",
    )
    CHEMICAL_WEAPON = "chemical_weapon", "Chemical weapon"
    AIR_DRONE_STRIKE = "air_drone_strike", "Air/drone strike"
    SUICIDE_BOMB = "suicide_bomb", "Suicide bomb"
    SHELLING_ARTILLERY_MISSILE_ATTACK = (
        "shelling_artillery_missile_attack",
        "Shelling/artillery/missile attack",
    )
    REMOTE_EXPLOSIVE_LANDMINE_IED = "remote_explosive_landmine_ied", "Remote explosive/landmine/IED"
    GRENADE = "grenade", "Grenade"
    SEXUAL_VIOLENCE = "sexual_violence", "Sexual violence"
    ATTACK = "attack", "Attack"
    ABDUCTION_FORCED_DISAPPEARANCE = "abduction_forced_disappearance", "Abduction/forced disappearance"
    PEACEFUL_PROTEST = "peaceful_protest", "Peaceful protest"
    PROTEST_WITH_INTERVENTION = "protest_with_intervention", "Protest with intervention"
    EXCESSIVE_FORCE_AGAINST_PROTESTERS = (
        "excessive_force_against_protesters",
        "Excessive force against protesters",
    )
    VIOLENT_DEMONSTRATION = "violent_demonstration", "Violent demonstration"
    MOB_VIOLENCE = "mob_violence", "Mob violence"
    AGREEMENT = "agreement", "Agreement"
    ARRESTS = "arrests", "Arrests"
    CHANGE_TO_GROUP_ACTIVITY = "change_to_group_activity", "Change to group/activity"
    DISRUPTED_WEAPONS_USE = "disrupted_weapons_use", "Disrupted weapons use"
    HEADQUARTERS_OR_BASE_ESTABLISHED = "headquarters_or_base_established", "Headquarters or base established"
    LOOTING_PROPERTY_DESTRUCTION = "looting_property_destruction", "Looting/property destruction"
    NON_VIOLENT_TRANSFER_OF_TERRITORY = (
        "non_violent_transfer_of_territory",
        "Non-violent transfer of territory",
    )
    OTHER = "other", "Other"


_S = SubEventType
# Which event type each sub-event type belongs to (ACLED's codebook).
SUB_EVENT_TYPES_OF = {
    EventType.BATTLE: (
        _S.ARMED_CLASH,
        _S.GOVERNMENT_REGAINS_TERRITORY,
        _S.NON_STATE_ACTOR_OVERTAKES_TERRITORY,
    ),
    EventType.EXPLOSION_REMOTE_VIOLENCE: (
        _S.CHEMICAL_WEAPON,
        _S.AIR_DRONE_STRIKE,
        _S.SUICIDE_BOMB,
        _S.SHELLING_ARTILLERY_MISSILE_ATTACK,
        _S.REMOTE_EXPLOSIVE_LANDMINE_IED,
        _S.GRENADE,
    ),
    EventType.VIOLENCE_AGAINST_CIVILIANS: (_S.SEXUAL_VIOLENCE, _S.ATTACK, _S.ABDUCTION_FORCED_DISAPPEARANCE),
    EventType.PROTEST: (
        _S.PEACEFUL_PROTEST,
        _S.PROTEST_WITH_INTERVENTION,
        _S.EXCESSIVE_FORCE_AGAINST_PROTESTERS,
    ),
    EventType.RIOT: (_S.VIOLENT_DEMONSTRATION, _S.MOB_VIOLENCE),
    EventType.STRATEGIC_DEVELOPMENT: (
        _S.AGREEMENT,
        _S.ARRESTS,
        _S.CHANGE_TO_GROUP_ACTIVITY,
        _S.DISRUPTED_WEAPONS_USE,
        _S.HEADQUARTERS_OR_BASE_ESTABLISHED,
        _S.LOOTING_PROPERTY_DESTRUCTION,
        _S.NON_VIOLENT_TRANSFER_OF_TERRITORY,
        _S.OTHER,
    ),
}
EVENT_TYPE_OF_SUB_EVENT_TYPE = {
    sub_event_type: event_type
    for event_type, members in SUB_EVENT_TYPES_OF.items()
    for sub_event_type in members
}

DATASET_ATTRIBUTE_SCALARS = (str, int, float, bool, type(None))


def validate_dataset_attributes(value) -> None:
    """``{scheme: {name: scalar}}``: what a dataset's row carried that no field holds."""
    if not isinstance(value, dict) or not all(
        isinstance(scheme, str) and isinstance(attributes, dict) for scheme, attributes in value.items()
    ):
        raise ValidationError("Must be an object of objects, keyed by dataset (e.g. acled).", code="invalid")
    for scheme, attributes in value.items():
        for name, item in attributes.items():
            if not isinstance(item, DATASET_ATTRIBUTE_SCALARS):
                raise ValidationError(
                    f"{scheme}.{name}: values are strings, numbers, booleans or null.", code="invalid"
                )
            if unstorable(scheme) or unstorable(name) or (isinstance(item, str) and unstorable(item)):
                raise ValidationError(UNSTORABLE_MESSAGE, code="null_characters_not_allowed")


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class ParticipantRole(models.TextChoices):
    INITIATOR = "initiator", "Initiator"
    TARGET = "target", "Target"
    AFFECTED = "affected", "Affected"
    OTHER = "other", "Other"


class Place(Resource):
    name = models.CharField(max_length=200, db_index=True, help_text="The name in common use.")
    alternate_names = models.JSONField(default=list, blank=True, validators=[validate_string_list])
    kind = models.CharField(
        max_length=16,
        choices=PlaceKind.choices,
        db_index=True,
        help_text="What kind of place: country, admin1 (province), admin2 (district), admin3, "
        "locality or feature.",
    )
    country_code = models.CharField(
        max_length=2, blank=True, db_index=True, validators=[country_code_validator]
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="WGS 84 latitude in degrees, -90 to 90.",
    )
    longitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="WGS 84 longitude in degrees, -180 to 180.",
    )
    external_ids = models.JSONField(default=dict, blank=True, validators=[validate_string_mapping])

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="place_coordinates_idx"),
            # A bundle's upsert finds a place by name (any case), kind and parent.
            models.Index(Upper("name"), models.F("kind"), models.F("parent"), name="place_name_ci_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_in_range",
                violation_error_message="Latitude must be between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_in_range",
                violation_error_message="Longitude must be between -180 and 180.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="place_coordinates_both_or_neither",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The check constraints hold these rules too, but name no field; say which one is wrong.
        if (self.latitude is None) != (self.longitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            raise ValidationError(
                {missing: ValidationError("Give both latitude and longitude, or neither.", code="required")}
            )
        if self._state.adding:
            # Nothing lies within a place not stored yet: only itself can be a cycle.
            if self.parent_id is not None and self.parent_id == self.pk:
                raise ValidationError({"parent": "A place cannot lie within itself."})
            return
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "A place cannot lie within itself."})
            ancestor = ancestor.parent


class Actor(Resource):
    name = models.CharField(max_length=200, db_index=True, help_text="The name in common use.")
    kind = models.CharField(
        max_length=16, choices=ActorKind.choices, db_index=True, help_text="A person or an organization."
    )
    aliases = models.JSONField(default=list, blank=True, validators=[validate_string_list])
    description = models.TextField(blank=True, help_text="Who or what this is, in a sentence or two.")
    country_code = models.CharField(
        max_length=2, blank=True, db_index=True, validators=[country_code_validator]
    )
    external_ids = models.JSONField(default=dict, blank=True, validators=[validate_string_mapping])
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="merged_actors",
        help_text="Set when this actor was merged into another; it then redirects there.",
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # A bundle's upsert finds an actor by name (any case) and kind (bundles.natural_keys).
            models.Index(Upper("name"), models.F("kind"), name="actor_name_ci_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Affiliation(models.Model):
    """An actor's role in an organisation, e.g. spokesperson of the Taliban."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="members", help_text="The organisation."
    )
    role = models.CharField(
        max_length=200, blank=True, help_text="The role in the organisation, e.g. spokesperson."
    )
    start_date = models.DateField(
        null=True, blank=True, help_text="When the affiliation began (ISO date), if known."
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="When it ended (ISO date); null while it lasts or when unknown."
    )

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="affiliation_end_not_before_start",
                violation_error_message="end_date must not be before start_date.",
            ),
            models.CheckConstraint(
                condition=~Q(actor=models.F("organization")),
                name="affiliation_not_with_itself",
                violation_error_message="An actor cannot be affiliated with itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor}, {self.role or 'member'} of {self.organization}"

    def clean(self) -> None:
        # The check constraints hold these rules too, but name no field; say which one is wrong.
        if self.organization_id and self.organization_id == self.actor_id:
            raise ValidationError({"organization": "An actor cannot be affiliated with itself."})
        if self.organization_id and self.organization.kind != ActorKind.ORGANIZATION:
            raise ValidationError({"organization": "Affiliations are with organisations."})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "end_date must not be before start_date."})


CLAIM_SUMMARY_FIELDS = ("statement_count", "supporting_count", "refuting_count", "contested")


class Event(Resource):
    title = models.CharField(max_length=300, help_text="A short headline.")
    summary = models.TextField(blank=True, help_text="A few sentences on what happened.")
    event_type = models.CharField(
        max_length=32,
        choices=EventType.choices,
        help_text="What kind of event (ACLED's event types, plus political and other).",
    )
    start_date = models.DateField(help_text="First day (ISO date).")
    end_date = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Last day (ISO date); null when unknown or a single day.",
    )
    date_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precise the dates are: day, week, month or year.",
    )
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="Where it happened.",
    )
    verification_status = models.CharField(
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
        # Indexed with the default order in Meta.indexes, which serves a lookup alone too.
    )
    actors = models.ManyToManyField(Actor, through="Participant", related_name="events")
    external_ids = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_string_mapping],
        help_text='Ids in other datasets by scheme, e.g. {"acled": "AFG12345"}.',
    )
    fatalities = models.PositiveIntegerField(
        null=True,
        blank=True,
        # PostgreSQL's integer, on SQLite too, so both refuse the same numbers.
        validators=[MaxValueValidator(2_147_483_647)],
        db_index=True,
        help_text="Reported fatalities, best estimate; null when not reported (0 is a report of none).",
    )
    sub_event_type = models.CharField(
        max_length=40,
        choices=SubEventType.choices,
        blank=True,
        help_text="ACLED's sub-event type, within event_type (e.g. armed_clash under battle).",
    )
    dataset_attributes = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_dataset_attributes],
        help_text="What an imported dataset row carried beyond these fields, by dataset: "
        '{"acled": {"inter1": "1", ...}, "ucdp": {"low": 2, "high": 9, ...}}. Exports give it back.',
    )
    # The claim summary: what the live statements about the event say of it. The database
    # keeps these in step (claims' triggers, in the same transaction as every write to
    # statements and their stances), so no write path can forget them; a save of the event
    # itself never writes them (database_kept_fields), and `manage.py claim_summary --check`
    # audits them.
    database_kept_fields = CLAIM_SUMMARY_FIELDS
    statement_count = models.PositiveIntegerField(
        default=0, db_default=0, editable=False, help_text="Statements about the event."
    )
    supporting_count = models.PositiveIntegerField(
        default=0, db_default=0, editable=False, help_text="Statements that support it."
    )
    refuting_count = models.PositiveIntegerField(
        default=0, db_default=0, editable=False, help_text="Statements that refute it."
    )
    contested = models.BooleanField(
        default=False,
        db_default=False,
        editable=False,
        help_text="True when statements by different speakers both support and refute the event.",
    )
    # The days the event may have covered, for the date_from/date_to overlap filter: an
    # event without end_date lasts its start day; month or year precision widens the
    # range to the whole month or year. Computed by the database, so fixtures loaded raw
    # get them too.
    effective_start_date = models.GeneratedField(
        expression=models.Case(
            models.When(date_precision=DatePrecision.MONTH, then=PeriodStart("start_date", "month")),
            models.When(date_precision=DatePrecision.YEAR, then=PeriodStart("start_date", "year")),
            default=models.F("start_date"),
        ),
        output_field=models.DateField(),
        db_persist=True,
        db_index=True,
    )
    effective_end_date = models.GeneratedField(
        expression=models.Case(
            models.When(
                date_precision=DatePrecision.MONTH,
                then=PeriodEnd(Coalesce("end_date", "start_date"), "month"),
            ),
            models.When(
                date_precision=DatePrecision.YEAR,
                then=PeriodEnd(Coalesce("end_date", "start_date"), "year"),
            ),
            default=Coalesce("end_date", "start_date"),
        ),
        output_field=models.DateField(),
        db_persist=True,
        db_index=True,
    )

    class Meta:
        ordering = ["-start_date", "id"]
        indexes = [
            # Pages walk start_date; with the effective dates in the same index a date filter
            # is checked in the index, not row by row in the table (date_from on an ascending
            # walk: 3.5 s -> 5 ms at a million events).
            models.Index(
                fields=["start_date", "effective_end_date", "effective_start_date"],
                name="event_start_range_idx",
            ),
            # The default order exactly, id included: with start_date alone a page sorts all
            # of its newest day's events (1,400 a day at five million events, 4.6 ms).
            models.Index(fields=["-start_date", "id"], name="event_page_order_idx"),
            # The other orderings, with the id that breaks their ties for the keyset cursor
            # (ascending whatever the field's direction, so a few-valued field needs both).
            models.Index(fields=["event_type", "id"], name="event_type_order_idx"),
            models.Index(fields=["-event_type", "id"], name="event_type_desc_order_idx"),
            models.Index(fields=["title", "id"], name="event_title_order_idx"),
            # The filters on the claim summary and the verdict, in the default order, so a page
            # is read from the index whatever share of events matches.
            models.Index(
                fields=["-start_date", "id"],
                condition=Q(contested=True, deleted_at__isnull=True),
                name="event_contested_order_idx",
            ),
            models.Index(fields=["verification_status", "-start_date", "id"], name="event_verdict_order_idx"),
            # The importers look a batch of a dataset's ids up at once (an IN over the key's text),
            # which the GIN index over external_ids cannot answer. Not partial: PostgreSQL's
            # planner estimates the IN from a whole index's statistics only, and without them
            # guessed that most events match and read them all.
            models.Index(KeyTextTransform("acled", "external_ids"), name="event_acled_id_idx"),
            models.Index(KeyTextTransform("ucdp", "external_ids"), name="event_ucdp_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="event_end_not_before_start",
                violation_error_message="end_date must not be before start_date.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # The check constraint holds this rule too, but names no field.
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "end_date must not be before start_date."})
        parent_type = EVENT_TYPE_OF_SUB_EVENT_TYPE.get(self.sub_event_type)
        if self.sub_event_type and parent_type is not None and self.event_type != parent_type:
            raise ValidationError(
                {
                    "sub_event_type": ValidationError(
                        f"{self.sub_event_type} is a sub-event type of {parent_type}, "
                        f"not of {self.event_type}.",
                        code="invalid_choice",
                    )
                }
            )


class Participant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="participations", help_text="The actor."
    )
    role = models.CharField(
        max_length=16,
        choices=ParticipantRole.choices,
        help_text="What part the actor played: initiator, target, affected or other.",
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"],
                name="participant_unique_role",
                violation_error_message="This actor already has this role in the event.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.role})"
