"""Signed documents: PAdES signatures on the bureau's PDFs, with pyHanko.

The bureau's signing key and certificate come from ``settings.DOCUMENT_SIGNING_PEM`` (the
environment's ``HRSS_DOCUMENT_SIGNING_PEM``: a PEM private key followed by its certificate
and any intermediates). Development generates a self-signed pair once and keeps it in the
var dir; production refuses to start without the configured one (``hrss.settings.production``).

Any app that issues documents (labour's notices and awards, training's certificates) calls
``sign_pdf`` on the bytes ``hrss.core.pdf.render`` made. Verifiers check the signature with
the bureau's certificate (``certificate_pem``) as a trust root.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from typing import Any

DEV_COMMON_NAME = "hrss development document signing (not for production)"


def self_signed_pem(common_name: str = DEV_COMMON_NAME, *, days: int = 3650) -> str:
    """A new RSA key and a self-signed certificate for it, as one PEM text (key first).
    Needs only ``cryptography``: settings and the Makefile call it before Django is set up."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (key_pem + cert.public_bytes(serialization.Encoding.PEM)).decode()


def _pem() -> bytes:
    from django.conf import settings

    return str(settings.DOCUMENT_SIGNING_PEM).encode()


@cache
def _signer() -> Any:
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    data = _pem()
    key = load_private_key_from_pemder_data(data, passphrase=None)
    certs = list(load_certs_from_pemder_data(data))
    return signers.SimpleSigner(
        signing_cert=certs[0], signing_key=key, cert_registry=SimpleCertificateStore.from_certs(certs)
    )


def certificate_pem() -> str:
    """The bureau's signing certificate (PEM), for verifiers."""
    text = _pem().decode()
    return text[text.index("-----BEGIN CERTIFICATE-----") :]


def sign_pdf(data: bytes, *, reason: str, location: str = "", field_name: str = "BureauSignature") -> bytes:
    """The PDF with a PAdES baseline signature (SHA-256) of the bureau appended."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
    )
    out = signers.sign_pdf(writer, meta, signer=_signer())
    return out.getvalue()  # type: ignore[no-any-return]
