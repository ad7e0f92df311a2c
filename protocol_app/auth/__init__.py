"""Authentication: users, roles, login, server-side sessions, password changes."""
