"""The User save hook that revokes API tokens when a password changes or a login is
deactivated, whichever path saved it (pages, admin, services, commands).

A hook on the model rather than on each view: Django's password change, reset and admin
forms and ``set_password`` all end in ``User.save()``, and a new path added later is
covered without anyone remembering to call a service. The hook only compares and hands
over to ``accounts.services.user_credentials_changed``.
"""

from __future__ import annotations

from typing import Any

WATCHED = {"password", "is_active"}


def remember_credentials(sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **_: Any) -> None:
    """pre_save: keep the stored password hash and active flag to compare after the save."""
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not WATCHED & set(update_fields):
        return  # e.g. last_login on every login: no extra query
    instance._credentials_before = (
        sender._default_manager.filter(pk=instance.pk).values_list("password", "is_active").first()
    )


def revoke_on_credentials_change(sender: Any, instance: Any, created: bool, raw: bool = False, **_: Any) -> None:
    """post_save: a changed password hash or a deactivation revokes the user's tokens."""
    before = instance.__dict__.pop("_credentials_before", None)
    if raw or created or before is None:
        return
    password, was_active = before
    # A login saved first without any password (a factory, a two-step create) is given
    # its first one, not a changed one.
    password_changed = bool(password) and password != instance.password
    deactivated = bool(was_active) and not instance.is_active
    if password_changed or deactivated:
        from sameboat.accounts.services import user_credentials_changed

        user_credentials_changed(user=instance, password_changed=password_changed, deactivated=deactivated)


def count_login_failure(sender: Any, credentials: Any = None, request: Any = None, **_: Any) -> None:
    """user_login_failed: count the failure against the client's address, whatever the
    user name, so one address trying many names is refused (the "auth_failures" rate)
    on the login page and the token endpoint alike."""
    if request is None:
        return
    from sameboat.core.client_ip import client_ip
    from sameboat.core.throttle import throttle_count

    throttle_count("auth_failures", f"ip:{client_ip(request)}")
