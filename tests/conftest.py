"""Shared fixtures: API clients for each role."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from rest_framework.test import APIClient

from eventsapi.api.permissions import EDITORS_GROUP, VERIFIERS_GROUP

# Read-replica aliases for the router's tests: mirrors of the test database (Django's TEST
# MIRROR), unused until a test lists them in settings.DATABASE_REPLICAS.
TEST_REPLICAS = ["replica_0", "replica_1"]


def _user(username: str, *groups: str, superuser: bool = False) -> User:
    user = User.objects.create_user(username=username, password="correct horse battery staple")
    user.is_superuser = superuser
    user.is_staff = superuser
    user.save()
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def editor(db) -> User:
    return _user("editor", EDITORS_GROUP)


@pytest.fixture
def verifier(db) -> User:
    return _user("verifier", VERIFIERS_GROUP)


@pytest.fixture
def reader(db) -> User:
    return _user("reader")


@pytest.fixture
def superuser(db) -> User:
    return _user("admin", superuser=True)


def _client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def editor_client(editor) -> APIClient:
    return _client_for(editor)


@pytest.fixture
def verifier_client(verifier) -> APIClient:
    return _client_for(verifier)


@pytest.fixture
def reader_client(reader) -> APIClient:
    return _client_for(reader)


@pytest.fixture
def superuser_client(superuser) -> APIClient:
    return _client_for(superuser)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    from django.db import connections

    primary = connections["default"].settings_dict
    for alias in TEST_REPLICAS:
        connections.settings.setdefault(alias, {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}})
