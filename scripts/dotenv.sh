#!/usr/bin/env bash
# Write the development .env of a checkout (`make setup` runs it), unless one exists.
#   scripts/dotenv.sh [FOLDER]    FOLDER/.env, the checkout's own by default
# It holds DJANGO_DEBUG=1 and a SECRET_KEY made for this checkout, which config/settings.py
# reads for every manage.py command typed in any shell. An existing file is never touched.
set -euo pipefail

folder=${1:-$(cd "$(dirname "$0")/.." && pwd)}
file="$folder/.env"
if [ -e "$file" ]; then
    echo "dotenv: $file exists; left as it is"
    exit 0
fi
key=$(python3 -c 'import secrets, string
print("".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(50)))')
umask 077
cat >"$file" <<ENV
# Development settings of this checkout, written by \`make setup\` (scripts/dotenv.sh) and read
# by config/settings.py; variables set in the environment win over these. A production host
# must not have this file: gunicorn (config.wsgi) ignores it, and with DJANGO_DEBUG off a key
# starting with django-insecure is refused. See .env.example for every variable.
DJANGO_DEBUG=1
SECRET_KEY=django-insecure-$key
ENV
echo "dotenv: wrote $file (DJANGO_DEBUG=1 and a development SECRET_KEY for this checkout; never for production)"
