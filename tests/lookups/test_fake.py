"""The fake server itself: runnable as a process, and refusing as the real
services do (no key, no BRP log headers, no Accept-Crs), in their shapes."""

import subprocess
import sys
import time
from pathlib import Path

from django.test import SimpleTestCase

import requests

from lookups import fake

from .server import API_KEY, FakeServerMixin, free_port

ROOT = Path(__file__).resolve().parents[2]
BRP_HEADERS = {
    "X-API-KEY": API_KEY,
    "x-origin-oin": "00000001002220647000",
    "x-doelbinding": "BRPACT-Ondermijning",
    "x-verwerking": "Casework@zaak",
    "x-gebruiker": "jurist",
}
BRP_BODY = {
    "type": "RaadpleegMetBurgerservicenummer",
    "burgerservicenummer": ["987654305"],
    "fields": ["naam"],
}


class FakeRefusalsTests(FakeServerMixin, SimpleTestCase):
    def brp(self, headers, body=BRP_BODY):
        return requests.post(
            self.base + fake.BRP_PATH + "/personen",
            json=body,
            headers=headers,
            timeout=5,
        )

    def test_the_brp_refuses_without_each_log_header(self):
        self.assertEqual(self.brp(BRP_HEADERS).status_code, 200)
        for header in fake.BRP_HEADERS:
            with self.subTest(header):
                headers = {k: v for k, v in BRP_HEADERS.items() if k != header}
                answer = self.brp(headers)
                self.assertEqual(answer.status_code, 400)
                self.assertEqual(
                    answer.headers["Content-Type"], "application/problem+json"
                )
                problem = answer.json()
                self.assertEqual(problem["code"], "paramsValidation")
                self.assertEqual(
                    [p["name"] for p in problem["invalidParams"]], [header]
                )

    def test_the_brp_refuses_without_its_key_and_a_bad_body(self):
        answer = self.brp({**BRP_HEADERS, "X-API-KEY": "wrong"})
        self.assertEqual(
            (answer.status_code, answer.json()["code"]), (401, "authentication")
        )
        answer = self.brp(BRP_HEADERS, {**BRP_BODY, "burgerservicenummer": ["12"]})
        self.assertEqual(answer.status_code, 400)
        self.assertEqual(
            answer.json()["invalidParams"][0]["name"], "burgerservicenummer[0]"
        )

    def test_only_the_fields_asked_for(self):
        [person] = self.brp(BRP_HEADERS).json()["personen"]
        self.assertEqual(set(person), {"naam"})

    def test_the_bag_needs_accept_crs_for_geometry(self):
        url = self.base + fake.BAG_PATH + "/verblijfsobjecten/0983010000000101"
        answer = requests.get(url, headers={"X-Api-Key": API_KEY}, timeout=5)
        self.assertEqual(
            (answer.status_code, answer.json()["code"]), (412, "acceptCrsMissing")
        )
        answer = requests.get(url, headers={"X-Api-Key": "x"}, timeout=5)
        self.assertEqual(answer.status_code, 401)
        answer = requests.get(
            self.base + fake.BAG_PATH + "/adressen",
            params={"postcode": "12ab", "huisnummer": "1"},
            headers={"X-Api-Key": API_KEY},
            timeout=5,
        )
        self.assertEqual(answer.json()["invalidParams"][0]["name"], "postcode")

    def test_the_kvk_answers_in_its_own_shape(self):
        answer = requests.get(
            self.base + "/api/v2/zoeken", params={"kvkNummer": "12345678"},
            headers={"apikey": API_KEY}, timeout=5,
        )  # fmt: skip
        self.assertEqual(answer.status_code, 404)
        self.assertEqual(answer.json()["fout"][0]["code"], "IPD5200")


class FakeProcessTests(SimpleTestCase):
    def test_runs_as_a_process(self):
        port = free_port()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lookups.fake",
                "--port",
                str(port),
                "--api-key",
                "k",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            url = f"http://127.0.0.1:{port}/api/v1/basisprofielen/90000003"
            for _ in range(100):
                try:
                    answer = requests.get(url, headers={"apikey": "k"}, timeout=2)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
            else:
                self.fail("the fake server did not start")
            self.assertEqual(answer.json()["naam"], "Snackbar 't Hoekske")
        finally:
            process.terminate()
            process.wait(timeout=10)
            process.stdout.close()
