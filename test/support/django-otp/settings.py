# Smallest Django config that serves django-otp's own OTPAdminSite, for Opdesk's tests.
# Everything a browser sees (login page, form, OTP verification) is django-otp's and
# Django's code; only this wiring is ours.
import os
import secrets

# Each test server gets its own throwaway directory, so nothing leaks between tests.
DATA_DIR = os.environ['OPDESK_DJANGO_DATA_DIR']

# Throwaway per process: sessions only need to outlive one test server.
SECRET_KEY = os.environ.get('OPDESK_DJANGO_SECRET_KEY') or secrets.token_hex(32)
# Off so error pages look like production ones; then Django insists on ALLOWED_HOSTS.
DEBUG = False
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    # `runserver --insecure` serves the admin CSS from here, so pages look real.
    'django.contrib.staticfiles',
    'django_otp',
    'django_otp.plugins.otp_totp',
]

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    # Must follow AuthenticationMiddleware: it wraps request.user with is_verified().
    'django_otp.middleware.OTPMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]

ROOT_URLCONF = 'urls'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'APP_DIRS': True,
        'OPTIONS': {
            'context_processors': [
                'django.template.context_processors.request',
                'django.contrib.auth.context_processors.auth',
                'django.contrib.messages.context_processors.messages',
            ],
        },
    },
]

DATABASES = {
    'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': os.path.join(DATA_DIR, 'db.sqlite3')},
}
DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'

# The default PBKDF2 costs ~0.5 s per hash on a shared CI core; Django's testing docs
# recommend MD5 for tests. It changes how the password is stored, not how login works.
PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']

USE_TZ = True
STATIC_URL = '/static/'
