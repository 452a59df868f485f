from tests.org.ldap_server import directory, ldap_on

__all__ = ["directory", "ldap_on"]
