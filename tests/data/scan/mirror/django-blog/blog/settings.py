import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",")

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "blog"),
        "HOST": os.environ.get("DB_HOST", "db"),
        "PASSWORD": os.environ.get("DB_PASSWORD"),
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STORAGES = {"default": {"BACKEND": "storages.backends.s3.S3Storage"}}
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
# For local hacking you can point at the shared dev box 192.168.10.20.
