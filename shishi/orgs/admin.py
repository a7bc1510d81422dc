from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from shishi.orgs.models import Membership, Person, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Browsing only: units are created and moved through the staff pages, which keep the
    materialised path right."""

    list_display = ["name", "code", "kind", "parent", "depth", "active"]
    list_filter = ["kind", "active", "depth"]
    search_fields = ["name", "code"]
    readonly_fields = ["code", "parent", "path", "depth"]
    fields = [
        "code",
        "name",
        "kind",
        "parent",
        "path",
        "depth",
        "former_code",
        "phone",
        "sort",
        "active",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ["username", "name", "title", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "name", "phone"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("name", "phone", "title", "email")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "password1", "password2")}),
    )
    inlines = [MembershipInline]
