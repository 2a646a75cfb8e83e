"""OpenAPI links: from each create response to what a client does next with the new item."""

from eventsapi.api.schema.paths import operations

LINK_TARGETS = {
    "retrieve": ("Get{}", "The item just created."),
    "partial_update": ("Update{}", "Change the item just created (send If-Match: its ETag)."),
    "destroy": ("Delete{}", "Delete the item just created."),
    "reviews_list": ("{}Reviews", "The verdicts on the item just created."),
    "reviews_create": ("Review{}", "Post a verdict on the item just created (verifiers)."),
    "history": ("{}History", "Every version of the item just created."),
    "timeline": ("{}Timeline", "The timeline of the event just created."),
}


def add_links(schema: dict) -> None:
    """From each create response to the new item's detail, update, delete, reviews and history."""
    operation_ids = {operation["operationId"] for _, _, operation in operations(schema)}
    for _, _, operation in operations(schema):
        operation_id = operation["operationId"]
        if not operation_id.endswith("_create") or "201" not in operation["responses"]:
            continue
        prefix = operation_id.removesuffix("_create")
        if f"{prefix}_retrieve" not in operation_ids:
            continue
        noun = prefix.rstrip("s").capitalize()
        links = {}
        for suffix, (name, description) in LINK_TARGETS.items():
            if f"{prefix}_{suffix}" in operation_ids:
                parameters = {"id": "$response.body#/id"}
                if suffix in ("partial_update", "destroy"):
                    parameters["header.If-Match"] = "$response.header.ETag"
                links[name.format(noun)] = {
                    "operationId": f"{prefix}_{suffix}",
                    "parameters": parameters,
                    "description": description,
                }
        operation["responses"]["201"]["links"] = links
