"""The fake BAG, KvK and BRP (lookups.fake) as a real server on a free port,
and the settings that point the production clients at it."""

import socket
import threading

from django.test import override_settings

from lookups import fake

API_KEY = "test-key"
OIN = "00000001002220647000"


def settings_for(base: str, key: str = API_KEY, **extra) -> dict:
    return {
        **fake.urls(base),
        "LOOKUP_BAG_API_KEY": key,
        "LOOKUP_KVK_API_KEY": key,
        "LOOKUP_BRP_API_KEY": key,
        "LOOKUP_BRP_OIN": OIN,
        "LOOKUP_BRP_DOELBINDING": "BRPACT-Ondermijning",
        "LOOKUP_BRP_VERWERKING": "Casework",
        "LOOKUP_BAG_TIMEOUT": 5,
        "LOOKUP_KVK_TIMEOUT": 5,
        "LOOKUP_BRP_TIMEOUT": 5,
        **extra,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeServerMixin:
    """Starts the fake server for the class and points the settings at it;
    `self.journal()` is what it received since the test began."""

    @classmethod
    def setUpClass(cls):
        cls.server = fake.start_in_thread(API_KEY)
        cls.base = f"http://127.0.0.1:{cls.server.server_port}"
        cls._lookup_settings = override_settings(**settings_for(cls.base))
        cls._lookup_settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._lookup_settings.disable()
        cls.server.shutdown()
        cls.server.server_close()

    def setUp(self):
        super().setUp()
        self.server.journal.clear()

    def journal(self) -> list[dict]:
        return list(self.server.journal)


class SilentServer:
    """A port that accepts connections and never answers: the client's
    timeout, without waiting on anything but the client's own limit."""

    def __enter__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.accepted = []
        self.stop = threading.Event()

        def accept():
            self.sock.settimeout(0.2)
            while not self.stop.is_set():
                try:
                    conn, _ = self.sock.accept()
                except OSError:
                    continue
                self.accepted.append(conn)

        self.thread = threading.Thread(target=accept, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        for conn in self.accepted:
            conn.close()
        self.sock.close()
