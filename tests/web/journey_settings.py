"""Settings of the servers the browser journeys start: production's, with a fast password hasher
(PBKDF2's million rounds cost half a second of CPU at each sign-in and account made, and the
journeys make dozens; what they check does not depend on the hasher). The deployment test keeps
production's settings whole."""

from sufficiency.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
