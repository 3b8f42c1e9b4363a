from django.urls import path

from sameboat.supplies import views

app_name = "supplies"
urlpatterns = [
    path("", views.stock_overview, name="stock_overview"),
    path("locations/<id:pk>/", views.location, name="location"),
    path("locations/<id:pk>/items/<id:item_pk>/", views.stock_card, name="stock_card"),
    path("locations/<id:pk>/moves/new", views.move_new, name="move_new"),
    path("items/", views.items, name="items"),
    path("items/<id:pk>/", views.item, name="item"),
]
