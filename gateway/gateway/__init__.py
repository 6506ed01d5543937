"""The API gateway: one Flask app serving the REST API (/api/v1), its OpenAPI document and the portal."""
