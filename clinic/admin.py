"""Staff accounts in the admin: nobody can hand out more power than a superuser allows."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User


class GuardedUserAdmin(UserAdmin):
    """
    Only a superuser may grant superuser status, staff status, groups or permissions:
    a manager who may edit accounts (names, emails, passwords, active flag) must not
    be able to make anyone, including themselves, more powerful.
    """

    PRIVILEGED_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in self.PRIVILEGED_FIELDS if f not in fields]
        return fields


admin.site.unregister(User)
admin.site.register(User, GuardedUserAdmin)
