from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "luoshi.public"
    label = "public"
    verbose_name = "公示"
