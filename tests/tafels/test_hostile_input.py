"""The hostile-input sweep of tests/casework/test_hostile_input.py over the
tables' pages: every form each page shows (to the chair and to a partner,
on a planned and on a held meeting) is posted with hostile values one field
at a time, and every query parameter gets them too. Never a 500, never a NUL
byte in a query, every hostile POST refused in Dutch and nothing changed —
the tables' own rows counted with the kernel's."""

import logging
from unittest import mock
from urllib.parse import urlsplit

from django.test import override_settings

import tests.casework.test_hostile_input as sweep
from permissions.models import DataClass

from .base import TafelTestCase

TABLES = (
    "tafels.Table", "tafels.Meeting", "tafels.Subject", "tafels.Decision",
    "tafels.ActionPoint", "tafels.Minutes",
)  # fmt: skip


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies")
class TafelHostileInputTests(TafelTestCase):
    send = sweep.HostileInputTests.send
    query = sweep.HostileInputTests.query
    post_hostile = sweep.HostileInputTests.post_hostile
    params_read = sweep.HostileInputTests.params_read

    def setUp(self):
        logger = logging.getLogger("django.request")
        level = logger.level
        logger.setLevel(logging.CRITICAL)
        self.addCleanup(logger.setLevel, level)
        patcher = mock.patch.object(sweep, "MAIN_TABLES", sweep.MAIN_TABLES + TABLES)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.failures = []
        self.queried = set()
        self.state = None  # as HostileInputTests.setUp
        self.skipped = 0

    def crawl(self, user, url) -> int:
        """Hostile values for every field of every form on the page and for
        every query parameter; the number of fields tried."""
        self.client.force_login(user)
        response = self.client.get(url)
        self.state = None  # a request outside `send`: the tables read again
        self.assertEqual(response.status_code, 200, (url, response.get("Location")))
        page = sweep.PageForms()
        page.feed(response.content.decode())
        tried = 0
        for form in page.forms:
            action = urlsplit(form["action"] or url).path or url
            if form["method"] == "get":
                self.query(action, form["fields"].keys())
                continue
            tried += self.post_hostile(action, form["fields"], strict=True)
        self.query(url, sweep._own_params(url, page.links))
        return tried

    def test_every_field_of_every_table_page(self):
        self.put_case(self.inspection)
        self.put_person("Ricardo Vossen", DataClass.D3, self.politie_user)
        meeting = f"/tafels/meetings/{self.meeting.pk}/"
        tried = 0
        for user, url in (
            (self.chair, "/tafels/"),
            (self.chair, f"/tafels/{self.table.pk}/"),
            (self.chair, meeting),
            (self.politie_user, meeting),
        ):
            tried += self.crawl(user, url)
        self.hold()
        self.queried.clear()
        tried += self.crawl(self.chair, meeting)
        self.assertFalse(self.failures, "\n" + "\n".join(sorted(self.failures)[:40]))
        self.assertGreater(tried, 40)
