from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sameboat.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_save, pre_save

        from sameboat.accounts import signals
        from sameboat.accounts.models import User

        pre_save.connect(signals.remember_credentials, sender=User, dispatch_uid="accounts_remember_credentials")
        post_save.connect(signals.revoke_on_credentials_change, sender=User, dispatch_uid="accounts_revoke_tokens")
        user_login_failed.connect(signals.count_login_failure, dispatch_uid="accounts_count_login_failure")

        # The audit action codes this app records, with their labels (core.audit).
        from sameboat.accounts.audit_actions import AUDIT_ACTIONS
        from sameboat.core.audit import register_audit_actions

        register_audit_actions(AUDIT_ACTIONS)
        from sameboat.accounts.audit_actions import AUDIT_FIELDS
        from sameboat.core.audit_display import register_audit_fields

        register_audit_fields(AUDIT_FIELDS)
