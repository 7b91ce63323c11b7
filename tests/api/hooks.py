"""schemathesis hooks for the CA's API: the binary request bodies it documents."""

import schemathesis
from schemathesis.transport.serialization import serialize_binary


@schemathesis.serializer("application/pkcs10", "application/pkcs7-signature")
def der(ctx, value):
    """A certificate request or a CMS signature: the bytes as they are (DER)."""
    return {"data": serialize_binary(value)}
