"""The shapes of the API's requests and answers (docs/api.md). They read
rows the views fetched through the decision point; they decide nothing."""

import base64
import binascii

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from casework.models import Party
from casework.validators import validate_bsn, validate_kvk

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
MAX_ID = 2**63 - 1  # the largest id a database column holds
SIGNAL_KINDS = ("bestuurlijke_rapportage", "mma", "riec")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    rule = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class LocationInSerializer(serializers.Serializer):
    street = serializers.CharField(max_length=200)
    house_number = serializers.IntegerField(min_value=1, max_value=99999)
    addition = serializers.CharField(
        max_length=10, required=False, allow_blank=True, default=""
    )
    postcode = serializers.RegexField(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", max_length=7)
    city = serializers.CharField(max_length=100)


class PartyInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Party.Kind.choices)
    name = serializers.CharField(max_length=200)
    bsn = serializers.CharField(
        max_length=9, required=False, allow_blank=True, default=""
    )
    kvk_number = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default=""
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True)

    def validate_bsn(self, value):
        if value:
            _django_check(validate_bsn, value)
        return value

    def validate_kvk_number(self, value):
        if value:
            _django_check(validate_kvk, value)
        return value


def _django_check(validator, value) -> None:
    from django.core.exceptions import ValidationError

    try:
        validator(value)
    except ValidationError as exc:
        raise serializers.ValidationError(list(exc.messages)) from exc


class AttachmentInSerializer(serializers.Serializer):
    filename = serializers.RegexField(r"^[^/\\\x00-\x1f]{1,200}$", max_length=200)
    content_type = serializers.RegexField(
        r"^[a-z0-9.+-]+/[a-z0-9.+-]+$", max_length=100
    )
    content = serializers.CharField(help_text=_("The file, base64-encoded."))

    def validate_content(self, value):
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise serializers.ValidationError(_("Not valid base64.")) from exc
        if not data:
            raise serializers.ValidationError(_("The file is empty."))
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise serializers.ValidationError(_("The file is larger than 10 MB."))
        return data


class SignalInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SIGNAL_KINDS)
    received_on = serializers.DateField()
    summary = serializers.CharField(max_length=10000)
    legal_basis = serializers.CharField(max_length=100, required=False, default="")
    shared_with = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=20,
    )
    parties = PartyInSerializer(many=True, required=False, default=list)
    locations = LocationInSerializer(many=True, required=False, default=list)
    attachments = AttachmentInSerializer(many=True, required=False, default=list)

    def validate_received_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("This date lies in the future."))
        return value

    def validate_summary(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("This field may not be blank."))
        return value

    def validate_attachments(self, value):
        if len(value) > MAX_ATTACHMENTS:
            raise serializers.ValidationError(_("At most five files."))
        return value


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.CharField()


class CaseRefSerializer(serializers.Serializer):
    reference = serializers.CharField()
    case_type = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    closed = serializers.BooleanField()
    url = serializers.CharField()


class SignalSerializer(serializers.Serializer):
    reference = serializers.CharField()
    kind = serializers.CharField()
    received_on = serializers.DateField()
    registered_at = serializers.DateTimeField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    url = serializers.CharField()


class SignalDetailSerializer(SignalSerializer):
    summary = serializers.CharField()
    data_class = serializers.CharField()
    legal_basis = serializers.CharField(allow_blank=True)
    shared_with = OrganisationSerializer(many=True)
    filed = serializers.BooleanField()
    filed_reason = serializers.CharField(allow_null=True)
    cases = CaseRefSerializer(many=True)
    attachments = AttachmentSerializer(many=True)


class SignalPageSerializer(serializers.Serializer):
    results = SignalSerializer(many=True)
    next = serializers.CharField(allow_null=True)


class CaseSerializer(serializers.Serializer):
    reference = serializers.CharField()
    case_type = serializers.CharField()
    type_label = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    data_class = serializers.CharField()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    responsible_organisation = serializers.CharField()
    url = serializers.CharField()


class CaseDetailSerializer(CaseSerializer):
    outcome_only = serializers.BooleanField()
    signals = serializers.ListField(child=serializers.CharField())
    deadlines_url = serializers.CharField(allow_null=True)
    documents_url = serializers.CharField(allow_null=True)


class CasePageSerializer(serializers.Serializer):
    results = CaseSerializer(many=True)
    next = serializers.CharField(allow_null=True)


class DeadlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    legal_basis = serializers.CharField()
    end_date = serializers.DateField()
    state = serializers.CharField()
    obligation = serializers.CharField()


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    template_key = serializers.CharField()
    version = serializers.IntegerField()
    data_class = serializers.CharField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    url = serializers.CharField()


class TaskSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=["confirm_slot", "record_findings"])
    case = serializers.CharField()
    title = serializers.CharField()
    planned_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField()


class SlotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    confirmed = serializers.BooleanField()
    legal_basis = serializers.CharField()


class FindingInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)
    shareable = serializers.BooleanField(required=False, default=False)

    def validate_text(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("This field may not be blank."))
        return value


class FindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.CharField()
    data_class = serializers.CharField()
    shareable = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()
