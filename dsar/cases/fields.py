"""Encrypted model fields and the private file storage of the cases app.

Personal fields are encrypted at rest with MultiFernet over ``settings.FIELD_ENCRYPTION_KEYS``
(newest key first): values are written with the newest key and read with any of them, so a key
is rotated by prepending a new key and running ``manage.py rotate_field_keys``.

A small field of our own rather than a package: the maintained Fernet field packages derive
their keys from SECRET_KEY or a single setting, while we need exactly a MultiFernet over a list
of keys from the environment (rotation without downtime). Ciphertexts are not deterministic, so
these fields cannot be filtered on; duplicate detection uses a keyed blind index instead
(``blind_index``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import json
import os
import tempfile
import unicodedata
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: personal fields cannot be stored."
        )
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def field_cipher() -> MultiFernet:
    """The cipher for the keys currently in settings (tests may override the setting)."""
    return _multifernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(value: str) -> str:
    return field_cipher().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return field_cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        # Naming no value: the token itself is not secret, but a message must not tempt anyone
        # into logging decrypted neighbours.
        raise ImproperlyConfigured(
            "A personal field cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS "
            "(was a key removed before `rotate_field_keys` ran?)."
        ) from None


def rotate_token(token: str) -> str:
    """Re-encrypt one stored token with the newest key (MultiFernet.rotate keeps the timestamp)."""
    return field_cipher().rotate(token.encode("ascii")).decode("ascii")


def encrypt_file_bytes(content: bytes) -> ContentFile[bytes]:
    """A file's bytes encrypted with the newest field key, ready for storage.save (rendered
    letters hold the person's name and address: on disk they are a Fernet token, not a PDF)."""
    return ContentFile(field_cipher().encrypt(content))


def decrypt_file(name: str, storage: FileSystemStorage | None = None) -> bytes:
    """The plain bytes of a file written by `encrypt_file_bytes`."""
    with (storage or private_storage).open(name, "rb") as handle:
        token = handle.read()
    try:
        return field_cipher().decrypt(token)
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored file cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS "
            "(was a key removed before `rotate_field_keys` ran?)."
        ) from None


def rotate_file(name: str, storage: FileSystemStorage | None = None) -> None:
    """Re-encrypt one stored file with the newest key, in place (written to a temporary name
    first, then renamed, so a crash leaves the old file readable)."""
    import os

    store = storage or private_storage
    path = store.path(name)
    with open(path, "rb") as handle:
        token = handle.read()
    rotated = field_cipher().rotate(token)
    temporary = f"{path}.rotating"
    with open(temporary, "wb") as handle:
        handle.write(rotated)
    os.replace(temporary, path)


def _normalise(value: str) -> str:
    folded = unicodedata.normalize("NFKC", value).casefold()
    return " ".join(folded.split())


def blind_index(*parts: str) -> str:
    """A keyed HMAC-SHA256 of the normalised parts: equal for the same person, useless without
    the key. Used for duplicate detection (the NGO CSV import), never to show anything."""
    key = settings.FIELD_BLIND_INDEX_KEY.encode("utf-8")
    message = "\x1f".join(_normalise(part) for part in parts).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token. Empty strings stay empty (nothing to protect)."""

    description = "Text encrypted at rest with MultiFernet"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt_text(value)


class EncryptedJSONField(models.TextField):
    """JSON encrypted at rest (identifying details per dataset). Python value: dict or list."""

    # For django-stubs: the Python value is JSON, not the text it is stored as.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    description = "JSON encrypted at rest with MultiFernet"

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt_text(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return json.loads(decrypt_text(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value else {}
        return value

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj))


@deconstructible(path="dsar.cases.fields.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT. They have no URL: every download goes through a
    view that calls dsar.cases.access first."""

    def __init__(self) -> None:
        super().__init__(location=None, base_url=None)
        setting_changed.connect(self._reset_private_root)

    @cached_property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def _reset_private_root(self, *, setting: str, **kwargs: Any) -> None:
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through an access-checked view.")

    def _save(self, name: str, content: File) -> str:
        """As FileSystemStorage, but written into a temporary file beside the target and linked
        into place only once complete (and fsynced): a disk that fills up or turns read-only
        half-way leaves no half-written letter or scan behind (the temporary file is removed,
        and the OSError reaches the caller, whose transaction is rolled back)."""
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(descriptor, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            while True:
                try:
                    os.link(temporary, full_path)  # never replaces: a taken name gets another
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        return str(name).replace("\\", "/")


private_storage = PrivateStorage()


def os_error_name(error: OSError) -> str:
    """ENOSPC, EROFS, ... for logs: why storage failed, without the path (it names a case)."""
    return errno.errorcode.get(error.errno or 0, type(error).__name__)
