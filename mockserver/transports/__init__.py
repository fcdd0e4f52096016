"""Two ways in to the same handler: in-process at requests' adapter send, and a loopback HTTP server."""
