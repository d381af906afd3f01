# One process per test server: migrate a fresh SQLite file, create the test's superuser and
# a confirmed TOTP device, then hand over to Django's own runserver. One Python start-up
# instead of three keeps the harness fast on a busy 2-core machine.
# Usage: python3 serve.py 127.0.0.1:PORT, with the OPDESK_DJANGO_* variables set (values
# come from the environment so no password or key shows up in a process list).
import os
import sys

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')
try:
    import django
    import django_otp  # noqa: F401
except ImportError as e:
    print(f'missing Python package: {e.name}', file=sys.stderr)
    sys.exit(3)  # the harness turns this into an "apt-get install ..." hint

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command, execute_from_command_line  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

call_command('migrate', verbosity=0)
user = User.objects.create_superuser(
    os.environ['OPDESK_DJANGO_USERNAME'], 'admin@example.test', os.environ['OPDESK_DJANGO_PASSWORD']
)
# The model's defaults are what the harness's totp() assumes: SHA1, 6 digits, 30 s step.
TOTPDevice.objects.create(user=user, name='opdesk-test', key=os.environ['OPDESK_DJANGO_TOTP_KEY'], confirmed=True)

# --insecure serves the admin CSS with DEBUG off; --noreload keeps it one killable process.
execute_from_command_line([sys.argv[0], 'runserver', sys.argv[1], '--noreload', '--insecure'])
