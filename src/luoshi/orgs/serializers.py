from rest_framework import serializers

from .models import Unit


class UnitRefSerializer(serializers.ModelSerializer):
    """A unit as referred to from other objects."""

    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "display_name"]
        read_only_fields = fields
