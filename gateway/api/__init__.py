"""The JSON API: one module per area, each resource's responders documented with
`gateway.api.operations.operation`, so /api/openapi.json is built from the same code that serves."""
