"""The CSRF token's mask drawn from one read of the OS's random source (installed by `CoreConfig.ready`).

Django masks the CSRF secret afresh for every page that shows a form (BREACH), drawing the 32 characters of the mask
with `secrets.choice`: one system call each. On a staff page that is a third of the layout's time (the logout form is
on every page; issue 12). `new_csrf_string` draws the same thing — `CSRF_SECRET_LENGTH` characters, each uniform over
`CSRF_ALLOWED_CHARS`, from `os.urandom` — from one read of random bytes, dropping the bytes that would bias the
modulo (rejection sampling). Nothing else of Django's CSRF handling changes: the secret, the cookie, the check.
If Django's module no longer has the function this replaces, nothing is installed (its own stays)."""

import secrets

from django.middleware import csrf


def new_csrf_string() -> str:
    chars = csrf.CSRF_ALLOWED_CHARS
    length, size = csrf.CSRF_SECRET_LENGTH, len(chars)
    limit = 256 - 256 % size  # bytes below it map to the alphabet evenly (4 whole rounds of 62 in 248)
    drawn: list[str] = []
    while len(drawn) < length:
        drawn.extend(chars[byte % size] for byte in secrets.token_bytes(length + 8) if byte < limit)
    return "".join(drawn[:length])


def install() -> bool:
    """Use `new_csrf_string` for Django's masks and new secrets; False (and nothing changed) if Django moved it."""
    if not callable(getattr(csrf, "_get_new_csrf_string", None)) or not hasattr(csrf, "_mask_cipher_secret"):
        return False
    csrf._get_new_csrf_string = new_csrf_string  # noqa: SLF001  (looked up by the module at each call)
    return True
