"""HTTP shapes of Lambda: integration responses (and, later, requests and the local server)."""
