"""The control plane: what tests steer and observe about requests (faults, the journal, the recorder).

It sits below the backend, which composes it, and above the GraphQL API, the
engines and state; the HTTP layer and both transports reach it through the backend.
"""
