"""OpenAPI generation: problem documents on every error response, brief relations typed.

Descriptions live on what they describe: model ``help_text``, serializer field ``help_text``
and serializer docstrings (drf-spectacular reads them; the admin shows the models' too). This
package holds only what cannot live on a field:

- ``auto_schema``: ``ProblemAutoSchema``, the schema class of every view (operation ids,
  summaries, security, headers, the error responses each operation can return);
- ``responses``: the problem document, the 308 body, the words of each status, the headers;
- ``extensions``: brief relations and the authentication schemes;
- ``hooks``: ``postprocess_schema`` (generated components, parameters, named enums, examples);
- ``links``: the links from each create response; ``examples``: the examples it adds.

Settings name ``eventsapi.api.schema.ProblemAutoSchema`` and
``eventsapi.api.schema.postprocess_schema``; importing the package registers the extensions.
"""

from eventsapi.api.schema import extensions  # noqa: F401  registers the OpenAPI extensions
from eventsapi.api.schema.auto_schema import ProblemAutoSchema
from eventsapi.api.schema.hooks import postprocess_schema
from eventsapi.api.schema.responses import ProblemFieldErrorSerializer, ProblemSerializer, RedirectSerializer

__all__ = [
    "ProblemAutoSchema",
    "ProblemFieldErrorSerializer",
    "ProblemSerializer",
    "RedirectSerializer",
    "postprocess_schema",
]
