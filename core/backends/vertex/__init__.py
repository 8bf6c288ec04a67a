"""Vertex AI custom jobs on a T4: the request, launch exactly once, polling policy, error sorting."""
