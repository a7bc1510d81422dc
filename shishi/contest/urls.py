app_name = "contest"

urlpatterns: list = []
