"""Container engines: the Engine protocol and its DTOs (base), the Docker adapter, an in-memory fake."""
