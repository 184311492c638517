from django.apps import AppConfig


class PeerConfig(AppConfig):
    name = "bench.django_peer"
    label = "peer"
