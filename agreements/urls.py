from django.urls import path

from agreements import views

app_name = "agreements"
urlpatterns = [
    path("verifiser/", views.verify, name="verify"),
    path("kvittering/", views.receipt, name="receipt"),
    path("kvittering/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("signer/<str:token>/", views.sign, name="sign"),
]
