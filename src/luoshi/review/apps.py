from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "luoshi.review"
    verbose_name = "讲话稿导入审核"
