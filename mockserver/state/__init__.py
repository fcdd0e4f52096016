"""The mock's state: plain attrs records and the functions over them. No HTTP, no GraphQL."""
