from django.urls import path

from bench.django_peer import views

urlpatterns = [
    path("ping", views.ping),
    path("floor/<int:row_id>", views.floor),
    path("api/documents/<int:pk>/approve", views.ApproveView.as_view()),
]
