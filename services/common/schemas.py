"""The schemas a service validates with, published as JSON Schema for the API's contract.

Each service names the pydantic models its RPCs take and answer with (`api_models`); its
`api_schemas` RPC returns their JSON Schemas, referring to one another as OpenAPI components
do. The gateway assembles /api/openapi.json from them (gateway/api/openapi.py), so the
document cannot drift from what the services accept.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.json_schema import models_json_schema

from services.common.rpc import rpc

COMPONENT_REF = "#/components/schemas/{model}"


class Output(BaseModel):
    """What an RPC answers with, as documented: the fields named are there; more may be."""

    model_config = ConfigDict(extra="allow")


def component_schemas(inputs=(), outputs=()) -> dict[str, dict]:
    """{model name: JSON Schema} for the models and every model they use. Inputs are described as
    they are validated, outputs as they are sent."""
    pairs = [(model, "validation") for model in inputs] + [(model, "serialization") for model in outputs]
    if not pairs:
        return {}
    _, top = models_json_schema(pairs, ref_template=COMPONENT_REF)
    return top.get("$defs", {})


class PublishesSchemas:
    """A service mixin: `api_inputs` and `api_outputs` name its models; the gateway asks for them."""

    api_inputs: tuple = ()
    api_outputs: tuple = ()

    @rpc
    def api_schemas(self):
        return component_schemas(self.api_inputs, self.api_outputs)
