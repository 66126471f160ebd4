"""Schemathesis against the API's own OpenAPI schema (issue 17 item 7), over
real HTTP to a live server, with a real token of a client that holds every
scope: no server error and every answer as the schema says (status code,
content type, body). Bounded: `EXAMPLES` cases per operation, so the whole
run stays well under two minutes on SQLite."""

from django.test import LiveServerTestCase

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import client_create
from casework import services
from permissions.models import CaseAccess, Organisation, Role
from tests.case_types import CaseType
from tests.factories import OrganisationFactory, UserFactory

EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SCOPES = [
    "signals:write", "signals:read", "cases:read", "tasks:read", "tasks:write",
    "deadlines:read", "documents:read",
]  # fmt: skip


class SchemathesisTests(LiveServerTestCase):
    def setUp(self):
        gemeente = OrganisationFactory(name="Gemeente", kind=Organisation.Kind.GEMEENTE)
        politie = OrganisationFactory(name="Politie", kind=Organisation.Kind.POLITIE)
        jurist = UserFactory(username="jurist", role=Role.JURIST, organisation=gemeente)
        agent = UserFactory(username="agent", role=Role.PARTNER, organisation=politie)
        case = services.case_open(user=jurist, case_type=CaseType.LOD, title="Zaak")
        services.case_team_add(
            case=case, user=jurist, member=agent,
            team_role=CaseAccess.TeamRole.CONTRIBUTOR,
        )  # fmt: skip
        self.client_row, secret = client_create(
            name="Politie", organisation=politie, role=Role.PARTNER, scopes=SCOPES
        )
        answer = requests.post(
            f"{self.live_server_url}/api/oauth/token/",
            data={"grant_type": "client_credentials"},
            auth=(self.client_row.application.client_id, secret),
            timeout=10,
        )
        answer.raise_for_status()
        self.headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def test_every_operation_keeps_to_the_schema(self):
        schema = schemathesis.openapi.from_url(f"{self.live_server_url}/api/schema/")
        operations = 0
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                response = case.call(
                    base_url=self.live_server_url, headers=self.headers
                )
                case.validate_response(response, checks=CHECKS, headers=self.headers)

            run()
        self.assertGreaterEqual(operations, 13)
