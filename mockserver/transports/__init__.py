"""Two ways in to the same handler: in-process through `responses`, and a loopback HTTP server."""
