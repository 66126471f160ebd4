"""The signature of a delivery (docs/notifications.md "Verifying a delivery").

    X-Casework-Timestamp: <unix seconds of this attempt>
    X-Casework-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>

The timestamp is signed with the body, so a receiver that refuses old
timestamps (five minutes) also refuses a recorded delivery played again; the
delivery id (`X-Casework-Delivery`, also in the body) tells a retry of the
same message from a new one.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Casework-Signature"
TIMESTAMP_HEADER = "X-Casework-Timestamp"
DELIVERY_HEADER = "X-Casework-Delivery"
EVENT_HEADER = "X-Casework-Event"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The value of `X-Casework-Signature` for this body at this time."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, header: str, *, now: float, tolerance=300
) -> bool:
    """What a receiver does: the signature matches (compared in constant
    time) and the timestamp is recent."""
    try:
        age = abs(now - int(timestamp))
    except ValueError:
        return False
    if age > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)
