"""The GraphQL layer: the SDL, its resolvers grouped by domain, and execution."""
