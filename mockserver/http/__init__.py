"""The HTTP layer: one handler from a request to a response, shared by both transports."""
