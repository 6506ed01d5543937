"""identity: accounts with roles, region and unit; argon2 passwords; signed, expiring JWTs."""
