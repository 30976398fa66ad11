from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "milepost.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisation"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import pre_save

        from milepost.accounts import audit
        from milepost.accounts.second_factor import note_due_at_login
        from milepost.lib.text import guard_milepost_text

        user_logged_in.connect(note_due_at_login, dispatch_uid="milepost-second-factor-due")
        # Every Milepost model: no control characters, no text longer than its column.
        pre_save.connect(guard_milepost_text, dispatch_uid="milepost-text-guard")
        # The audit trail (docs/audit.md): never password hashes or token digests.
        audit.audited(self.get_model("User"), exclude=["last_login"])
        audit.audited(self.get_model("OrgUnit"), exclude=["path", "depth"])
        audit.audited(self.get_model("ApiToken"), exclude=["last_used_at"])
        user_logged_in.connect(audit.record_log_in, dispatch_uid="milepost-audit-log-in")
        user_login_failed.connect(
            audit.record_failed_log_in, dispatch_uid="milepost-audit-failed-log-in"
        )
