from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "milepost.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisation"
