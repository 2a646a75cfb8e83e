"""Walking a generated schema's operations."""


def operations(schema: dict):
    """Each (path, method, operation) of the schema."""
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation
