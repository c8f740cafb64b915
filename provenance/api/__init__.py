"""The REST API (Litestar): app factory, controllers, schemas and problem+json errors."""
