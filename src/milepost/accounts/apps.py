from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "milepost.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisation"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from milepost.accounts.second_factor import note_due_at_login

        user_logged_in.connect(note_due_at_login, dispatch_uid="milepost-second-factor-due")
