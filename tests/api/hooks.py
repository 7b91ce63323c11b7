"""schemathesis hooks for the CA's API: the binary request bodies it documents."""

import schemathesis
from schemathesis.transport.serialization import serialize_binary


@schemathesis.serializer("application/pkcs10", "application/pkcs7-signature", "application/pkix-cert")
def der(ctx, value):
    """A certificate request, a CMS signature or a certificate: the bytes as they are (DER)."""
    return {"data": serialize_binary(value)}
