"""Optional login against an LDAP directory or Active Directory (docs/ldap.md).

``config`` reads the environment (safe to import from settings); ``backend`` is the
authentication backend; ``services`` create and update the people it signs in.
"""
