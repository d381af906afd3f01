# The admin at /admin/ is django-otp's OTPAdminSite: password plus a TOTP code.
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.urls import path
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

admin_site = OTPAdminSite()
# A few models so the index after login lists something, as a real admin would.
admin_site.register(User, UserAdmin)
admin_site.register(Group, GroupAdmin)
admin_site.register(TOTPDevice, TOTPDeviceAdmin)

urlpatterns = [path('admin/', admin_site.urls)]
